using Advisor.Core.Failures;
using Advisor.Core.Recording;
using Advisor.Core.Reporting.Exporters;
using Advisor.Reports.ChromeTrace;
using Advisor.Reports.Csv;
using Advisor.Reports.Html;
using Advisor.Reports.Json;
using Advisor.Reports.Markdown;
using Advisor.Reports.Sarif;

namespace Advisor.Cli.Output;

/// <summary>
/// Every format <c>-o</c> writes, in the order help and the README list them. A new format is one exporter and
/// its line here; choosing, validating, writing and the help text all come from this list.
/// </summary>
internal static class ReportExporters
{
    public static IReadOnlyList<IReportExporter> All { get; } =
    [
        new JsonExporter(),
        new SarifExporter(),
        new MarkdownExporter(),
        new CsvExporter(),
        new HtmlExporter(),
        new ChromeTraceExporter(),
        new RecordingExporter(),
    ];

    /// <summary>The endings -o takes, for help and errors: <c>.json, .sarif, .sarif.json, …</c>.</summary>
    public static string Endings => EndingsUpTo(ExporterInput.LiveRecording);

    /// <summary>The file endings of the formats a command can write with what it has (hang: the report alone).</summary>
    public static string EndingsUpTo(ExporterInput available) => FileFormats.Endings(All.Where(e => e.Input <= available));

    /// <summary>The format a path's ending chooses: the longest ending that matches (<c>.trace.json</c> before <c>.json</c>).</summary>
    /// <exception cref="AdvisorException">No format has that ending: exit 2, naming those that do.</exception>
    public static IReportExporter For(string path) => FileFormats.ByEnding(All, path);

    /// <summary>The formats <c>--format</c> prints to stdout: those drawn from the report alone.</summary>
    public static IReadOnlyList<IReportExporter> Printable { get; } = All.Where(e => e.Input == ExporterInput.Report).ToList();

    /// <summary>The format <c>--format NAME</c> prints.</summary>
    /// <exception cref="AdvisorException">No such printable format: exit 2, naming those there are.</exception>
    public static IReportExporter Printed(string name) => FileFormats.ByName(Printable, name);

    /// <summary>The README's table of formats, one row per exporter (a test keeps the README in step).</summary>
    public static string MarkdownTable()
    {
        var table = new System.Text.StringBuilder("| ending | format | what it holds | written by |\n|---|---|---|---|\n");
        foreach (var exporter in All)
        {
            var commands = exporter.Input switch
            {
                ExporterInput.LiveRecording => "profile, run",
                ExporterInput.Report => "profile, run, report, hang",
                _ => "profile, run, report",
            };
            table.Append($"| {string.Join(", ", exporter.Extensions.Select(x => $"`{x}`"))} | {exporter.Name} | {exporter.Description} | {commands} |\n");
        }

        return table.ToString();
    }

    /// <summary>Whether the path's format is drawn from the raw events (the recording must keep them).</summary>
    public static bool NeedsEvents(string path) => For(path).Input >= ExporterInput.RawEvents;
}
