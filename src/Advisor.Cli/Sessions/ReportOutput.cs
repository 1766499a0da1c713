using Advisor.Cli.CommandLine;
using Advisor.Cli.Output;
using Advisor.Cli.Rendering;
using Advisor.Core.Failures;
using Advisor.Core.Reporting;
using Advisor.Core.Reporting.Exporters;
using Spectre.Console;

namespace Advisor.Cli.Sessions;

/// <summary>
/// Where a finished report goes, the same for every command: the -o files, then JSON on stdout (--format) or the
/// console view (or a format on stdout: --format), then the gates' verdict as the exit code.
/// </summary>
internal static class ReportOutput
{
    /// <summary>
    /// Fails before any recording when an output needs more than the command will have: hang triage has no
    /// recording, and <c>report</c> reads one rather than writes one.
    /// </summary>
    /// <param name="available">What the command can give the exporters.</param>
    /// <param name="command">The command, for the error line.</param>
    public static void Require(ReportOptions options, ExporterInput available, string command)
    {
        foreach (var path in options.Outputs)
        {
            var exporter = ReportExporters.For(path);
            if (exporter.Input > available)
            {
                throw new AdvisorException(
                    FailureKind.Usage, $"{command} cannot write '{path}' ({exporter.Name}): it writes {ReportExporters.EndingsUpTo(available)}");
            }
        }
    }

    /// <param name="render">The console view of this kind of report (a recording's, or hang triage's).</param>
    public static void Emit(ReportContext context, ReportOptions options, Action<IAnsiConsole, AdvisorReport, bool> render)
    {
        foreach (var path in options.Outputs)
        {
            ReportFiles.Write(context, path);
        }

        if (options.Format is { } format)
        {
            using var stdout = Console.OpenStandardOutput();
            ReportExporters.Printed(format).Write(context, stdout);
            return;
        }

        if (!options.Quiet)
        {
            render(Terminal.Stdout, context.Report, options.Verbose);
        }
    }

    /// <summary>The exit code the gates give the report: 0, or 1 with what exceeded on stderr.</summary>
    public static int GateVerdict(AdvisorReport report, GateSettings gates, ReportOptions options) =>
        GateOutput.Report(report, gates.Check(report), options.Format is not null) ? (int)ReturnCode.Ok : (int)ReturnCode.GateFailed;
}
