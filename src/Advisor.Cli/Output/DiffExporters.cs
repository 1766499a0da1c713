using Advisor.Core.Comparison.Exporters;
using Advisor.Reports.Diff;

namespace Advisor.Cli.Output;

/// <summary>Every format <c>diff -o</c> writes, as <see cref="ReportExporters"/> lists the report's; <c>--format</c> prints JSON or Markdown.</summary>
internal static class DiffExporters
{
    public static IReadOnlyList<IDiffExporter> All { get; } =
    [
        new DiffJsonExporter(),
        new DiffMarkdownExporter(),
        new DiffHtmlExporter(),
    ];

    /// <summary>The formats <c>--format</c> prints to stdout: text ones, not a page.</summary>
    public static IReadOnlyList<IDiffExporter> Printable { get; } = All.Where(e => e is not DiffHtmlExporter).ToList();

    public static string Endings => FileFormats.Endings(All);

    public static IDiffExporter For(string path) => FileFormats.ByEnding(All, path);

    public static IDiffExporter Printed(string name) => FileFormats.ByName(Printable, name);
}
