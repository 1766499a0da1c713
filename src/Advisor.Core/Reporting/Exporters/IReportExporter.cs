namespace Advisor.Core.Reporting.Exporters;

/// <summary>
/// One format <c>-o</c> writes, as BenchmarkDotNet's exporters: its name, the file endings that choose it, what it
/// is drawn from, and how it writes. The command line lists, validates and writes every format through these
/// alone (the registry is <c>src/Advisor.Cli/Output/ReportExporters.cs</c>).
/// </summary>
public interface IReportExporter : IFileFormat
{
    /// <summary>What it needs beside the report: a recording's aggregation, or its raw events too.</summary>
    ExporterInput Input { get; }

    void Write(ReportContext context, Stream stream);
}
