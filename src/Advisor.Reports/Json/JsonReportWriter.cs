using System.Text.Json;
using Advisor.Core.Findings;
using Advisor.Core.Reporting;

namespace Advisor.Reports.Json;

/// <summary>
/// The report as JSON, in the shape <c>schemas/report.schema.json</c> publishes:
/// camelCase names, severities as words, absent optional fields omitted, numbers to 3 decimals.
/// </summary>
public static class JsonReportWriter
{
    public static string Serialize(AdvisorReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return JsonSerializer.Serialize(report, ReportJsonOptions.Report);
    }

    /// <summary>One finding as the report writes each element of <c>findings[]</c>, on one line.</summary>
    public static string Serialize(Finding finding)
    {
        ArgumentNullException.ThrowIfNull(finding);
        return JsonSerializer.Serialize(finding, ReportJsonOptions.Finding);
    }

    /// <summary>Writes the report as UTF-8 (no BOM), followed by a newline as text files and terminals expect.</summary>
    /// <remarks>The stream stays open: the caller owns it (it may be stdout).</remarks>
    public static void Write(AdvisorReport report, Stream stream)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(stream);
        JsonSerializer.Serialize(stream, report, ReportJsonOptions.Report);
        stream.WriteByte((byte)'\n');
        stream.Flush();
    }

    /// <summary>Reads a report written by <see cref="Serialize"/> or <see cref="Write"/> (re-analysis, baselines).</summary>
    /// <exception cref="JsonException">
    /// The text is not a schemaVersion 1 report: malformed, a required field missing or null, a severity
    /// that is not a word the writer uses. The message names the JSON path; the caller adds the file name.
    /// </exception>
    public static AdvisorReport Deserialize(string json)
    {
        ArgumentNullException.ThrowIfNull(json);

        // Other versions may keep the same field names with different meanings, or drop some: refuse on the
        // version before reading the rest, so the reader learns that rather than which field is missing.
        if (SchemaVersionOf(json) is { } version && version != AdvisorReport.CurrentSchemaVersion)
        {
            throw new JsonException(
                $"The report has schemaVersion {version}; this version of dotnet-advisor reads schemaVersion {AdvisorReport.CurrentSchemaVersion}.");
        }

        return JsonSerializer.Deserialize(json, ReportJsonOptions.Report)
            ?? throw new JsonException("The JSON is null, not a report.");
    }

    /// <summary>The top-level <c>schemaVersion</c>, when the text is a JSON object that has one as a whole number.</summary>
    private static int? SchemaVersionOf(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("schemaVersion", out var version)
                && version.ValueKind == JsonValueKind.Number
                && version.TryGetInt32(out var number)
                ? number
                : null;
        }
        catch (JsonException)
        {
            // Malformed: the full read below says where.
            return null;
        }
    }
}
