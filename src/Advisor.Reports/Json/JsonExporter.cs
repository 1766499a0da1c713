using Advisor.Core.Reporting.Exporters;

namespace Advisor.Reports.Json;

/// <summary><c>-o NAME.json</c>: the report as <c>schemas/report.schema.json</c> publishes it.</summary>
public sealed class JsonExporter : IReportExporter
{
    public string Name => "json";

    public IReadOnlyList<string> Extensions { get; } = [".json"];

    public string Description => "the report in the published schema (`schemas/report.schema.json`): scripts, `--baseline`";

    public ExporterInput Input => ExporterInput.Report;

    public void Write(ReportContext context, Stream stream) => JsonReportWriter.Write(context.Report, stream);
}
