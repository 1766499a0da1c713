using Advisor.Core.Reporting.Exporters;

namespace Advisor.Reports.Markdown;

/// <summary><c>-o NAME.md</c>: the findings for a pull-request comment.</summary>
public sealed class MarkdownExporter : IReportExporter
{
    public string Name => "markdown";

    public IReadOnlyList<string> Extensions { get; } = [".md"];

    public string Description => "the findings as Markdown, for pull-request comments";

    public ExporterInput Input => ExporterInput.Report;

    public void Write(ReportContext context, Stream stream) => MarkdownReportWriter.Write(context.Report, stream);
}
