using Advisor.Cli.CommandLine;
using Advisor.Cli.Output;
using Advisor.Cli.Rendering;
using Advisor.Core.Aggregation;
using Advisor.Core.Events;
using Advisor.Core.Failures;
using Advisor.Core.Recording;
using Advisor.Core.Reporting;
using Advisor.Core.Reporting.Exporters;
using Advisor.Core.Rules;
using Advisor.Core.Syscalls;
using Advisor.Linux.Strace;
using Advisor.Linux.Syscalls;

namespace Advisor.Cli.Sessions;

/// <summary>
/// <c>report FILE</c>: a recording replayed into the snapshot the live run had, or an strace log imported into
/// one, then today's rules and gates.
/// </summary>
internal static class ReportWorkflow
{
    public static int Run(string path, ReportOptions options)
    {
        options.Validate();
        ReportOutput.Require(options, ExporterInput.RawEvents, "report");

        InputFile.Require(path, whatInstead: "give a recording (NAME.advisor) or an strace log in it");

        var rules = options.LoadRules();
        var gates = options.LoadGates();
        var (analysed, input) = Analyse(path, rules);
        var report = options.Shape(analysed);
        ReportOutput.Emit(new ReportContext(report, rules, options.Redact) { Snapshot = input.Snapshot, Events = input }, options, ConsoleReport.Render);
        return ReportOutput.GateVerdict(report, gates, options);
    }

    /// <summary>
    /// A recording replayed, or an strace log imported, and analysed with these rules: what <c>report FILE</c>
    /// reports and <c>diff</c> compares. The file is checked to exist by the caller.
    /// </summary>
    /// <returns>The report (not yet redacted) and the input it was drawn from.</returns>
    public static (AdvisorReport Report, ReportInput Input) Analyse(string path, RuleCatalog rules)
    {
        var input = RecordingFile.LooksLikeRecording(path) ? FromRecording(path) : FromStraceLog(path);
        return (ReportBuilder.Analyse(AdvisorTool.Info, input.Target, input.Backend, input.Notes, input.Snapshot, rules), input);
    }

    private static ReportInput FromRecording(string path)
    {
        var (snapshot, metadata) = Replay.Load(path, Catalog);
        return new ReportInput(snapshot, metadata.Target, metadata.Backend, metadata.Notes, sink => RecordingFile.Read(path, (_, _) => sink), "recording");
    }

    private static ReportInput FromStraceLog(string path)
    {
        var survey = StraceLogImport.Survey(path);
        var (snapshot, target, notes) = StraceLogImport.Load(path, survey);
        return new ReportInput(snapshot, target, StraceLogImport.Backend, notes, sink => StraceLogImport.Replay(path, survey, _ => sink), "strace log");
    }

    private static SyscallCatalog Catalog(string architecture)
    {
        try
        {
            return new SyscallCatalog(LinuxTables.ForArchitecture(architecture), LinuxTables.Errno(architecture));
        }
        catch (PlatformNotSupportedException)
        {
            throw new AdvisorException(FailureKind.Usage, $"the recording is of an architecture this dotnet-advisor does not know: '{architecture}'");
        }
    }

    /// <summary>The file's snapshot, and its events read again for the raw-event formats (never all in memory).</summary>
    /// <param name="ReplayEvents">Delivers the input's events again, in order, to another sink (a trace, a timeline).</param>
    /// <param name="Kind">"recording" or "strace log", as a diff names its inputs.</param>
    internal sealed record ReportInput(
        AggregateSnapshot Snapshot, TargetInfo Target, string Backend, IReadOnlyList<string> Notes, Action<ISyscallSink> ReplayEvents, string Kind) : IRawEvents
    {
        public void ReplayTo(ISyscallSink sink) => ReplayEvents(sink);
    }
}
