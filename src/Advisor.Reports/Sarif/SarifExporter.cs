using Advisor.Core.Reporting.Exporters;

namespace Advisor.Reports.Sarif;

/// <summary><c>-o NAME.sarif</c> (or <c>.sarif.json</c>): SARIF 2.1.0, with the rules in force described.</summary>
public sealed class SarifExporter : IReportExporter
{
    public string Name => "sarif";

    public IReadOnlyList<string> Extensions { get; } = [".sarif", ".sarif.json"];

    public string Description => "SARIF 2.1.0, which CI systems show as code-scanning results";

    public ExporterInput Input => ExporterInput.Report;

    public void Write(ReportContext context, Stream stream) => SarifReportWriter.Write(context.Report, context.Rules, stream);
}
