using Advisor.Core.Reporting.Exporters;

namespace Advisor.Core.Comparison.Exporters;

/// <summary>
/// One format <c>diff -o</c> writes, as <see cref="IReportExporter"/> is for reports; the registry is
/// <c>src/Advisor.Cli/Output/DiffExporters.cs</c>.
/// </summary>
public interface IDiffExporter : IFileFormat
{
    void Write(DiffContext context, Stream stream);
}
