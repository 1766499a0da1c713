using Advisor.Cli.CommandLine;
using Advisor.Cli.Rendering;
using Advisor.Core.Reporting;
using Advisor.Core.Rules;
using Advisor.Reports.Json;
using Spectre.Console;

namespace Advisor.Cli.Output;

/// <summary>Where a finished report goes: the -o files, then JSON on stdout (--format) or the console view.</summary>
internal static class ReportOutput
{
    /// <param name="render">The console view of this kind of report (a recording's, or hang triage's).</param>
    /// <param name="rules">The catalogue in force, for the SARIF files' rule descriptions; null: the built-in one.</param>
    public static void Emit(AdvisorReport report, ReportOptions options, Action<IAnsiConsole, AdvisorReport, bool> render, RuleCatalog? rules = null)
    {
        // Recordings and traces are drawn from the raw events: the session that kept them writes them.
        foreach (var path in options.Outputs.Where(p => !ReportFiles.NeedsEvents(p)))
        {
            ReportFiles.Write(report, path, rules);
        }

        if (options.Format is not null)
        {
            using var stdout = Console.OpenStandardOutput();
            JsonReportWriter.Write(report, stdout);
            return;
        }

        if (!options.Quiet)
        {
            render(Terminal.Stdout, report, options.Verbose);
        }
    }
}
