using Advisor.Cli.CommandLine;
using Advisor.Cli.Output;
using Advisor.Cli.Rendering;
using Advisor.Core.Aggregation;
using Advisor.Core.Events;
using Advisor.Core.Failures;
using Advisor.Core.Recording;
using Advisor.Core.Reporting;
using Advisor.Core.Rules;
using Advisor.Core.Syscalls;
using Advisor.Linux.Strace;
using Advisor.Linux.Syscalls;
using Advisor.Reports.ChromeTrace;
using Advisor.Reports.Html;

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
        if (options.Recordings.Count > 0)
        {
            throw new AdvisorException(FailureKind.Usage, "report reads a recording; it cannot write one (-o *.advisor)");
        }

        InputFile.Require(path, whatInstead: "give a recording (NAME.advisor) or an strace log in it");

        var rules = options.LoadRules();
        var gates = options.LoadGates();
        var input = RecordingFile.LooksLikeRecording(path) ? FromRecording(path) : FromStraceLog(path);
        var findings = RuleEngine.Run(rules, input.Snapshot);
        var report = options.Shape(ReportBuilder.Build(Analysis.Tool, input.Target, input.Backend, input.Notes, input.Snapshot, findings));
        ReportOutput.Emit(report, options, ConsoleReport.Render, rules);
        foreach (var trace in options.Traces)
        {
            // The events are read again, straight into the trace: they are never all in memory.
            ReportFiles.WriteAtomically(trace, stream =>
            {
                using var writer = new ChromeTraceWriter(stream, input.Snapshot.Catalog, input.Snapshot.StartNs);
                input.ReplayEvents(writer);
                writer.Finish(report);
            });
        }

        foreach (var page in options.Pages)
        {
            var timeline = new ThreadTimeline(input.Snapshot.StartNs, input.Snapshot.EndNs);
            input.ReplayEvents(timeline);
            ReportFiles.WriteAtomically(page, stream => HtmlReportWriter.Write(report, FlameGraph.Build(input.Snapshot), timeline, stream));
        }

        return GateOutput.Report(report, gates.Check(report), options.Format is not null) ? (int)ReturnCode.Ok : (int)ReturnCode.GateFailed;
    }

    private static ReportInput FromRecording(string path)
    {
        var (snapshot, metadata) = Replay.Load(path, Catalog);
        return new ReportInput(snapshot, metadata.Target, metadata.Backend, metadata.Notes, sink => RecordingFile.Read(path, (_, _) => sink));
    }

    private static ReportInput FromStraceLog(string path)
    {
        var survey = StraceLogImport.Survey(path);
        var (snapshot, target, notes) = StraceLogImport.Load(path, survey);
        return new ReportInput(snapshot, target, StraceLogImport.Backend, notes, sink => StraceLogImport.Replay(path, survey, _ => sink));
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

    /// <param name="ReplayEvents">Delivers the input's events again, in order, to another sink (a trace, a timeline).</param>
    private sealed record ReportInput(
        AggregateSnapshot Snapshot, TargetInfo Target, string Backend, IReadOnlyList<string> Notes, Action<ISyscallSink> ReplayEvents);
}
