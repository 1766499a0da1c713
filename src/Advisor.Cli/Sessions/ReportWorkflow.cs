using Advisor.Cli.CommandLine;
using Advisor.Cli.Output;
using Advisor.Cli.Rendering;
using Advisor.Core.Failures;
using Advisor.Core.Recording;
using Advisor.Core.Reporting;
using Advisor.Core.Rules;
using Advisor.Core.Syscalls;
using Advisor.Linux.Syscalls;
using Advisor.Reports.ChromeTrace;
using Advisor.Reports.Html;

namespace Advisor.Cli.Sessions;

/// <summary><c>report FILE</c>: a recording replayed into the snapshot the live run had, then today's rules and gates.</summary>
internal static class ReportWorkflow
{
    public static int Run(string path, ReportOptions options)
    {
        options.Validate();
        if (options.Recordings.Count > 0)
        {
            throw new AdvisorException(FailureKind.Usage, "report reads a recording; it cannot write one (-o *.advisor)");
        }

        if (!File.Exists(path))
        {
            throw new AdvisorException(FailureKind.Usage, $"{path}: no such file");
        }

        var rules = options.LoadRules();
        var gates = options.LoadGates();
        var (snapshot, metadata) = Replay.Load(path, Catalog);
        var findings = RuleEngine.Run(rules, snapshot);
        var report = options.Shape(ReportBuilder.Build(Analysis.Tool, metadata.Target, metadata.Backend, metadata.Notes, snapshot, findings));
        ReportOutput.Emit(report, options, ConsoleReport.Render, rules);
        foreach (var trace in options.Traces)
        {
            // The events are read again, straight into the trace: they are never all in memory.
            ReportFiles.WriteAtomically(trace, stream =>
            {
                using var writer = new ChromeTraceWriter(stream, snapshot.Catalog, snapshot.StartNs);
                RecordingFile.Read(path, (_, _) => writer);
                writer.Finish(report);
            });
        }

        foreach (var page in options.Pages)
        {
            var timeline = new ThreadTimeline(snapshot.StartNs, snapshot.EndNs);
            RecordingFile.Read(path, (_, _) => timeline);
            ReportFiles.WriteAtomically(page, stream => HtmlReportWriter.Write(report, FlameGraph.Build(snapshot), timeline, stream));
        }

        return GateOutput.Report(report, gates.Check(report), options.Format is not null) ? (int)ReturnCode.Ok : (int)ReturnCode.GateFailed;
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
}
