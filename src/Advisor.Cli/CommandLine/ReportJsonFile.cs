using System.Globalization;
using Advisor.Core.Failures;
using Advisor.Core.Reporting;
using Advisor.Reports.Json;

namespace Advisor.Cli.CommandLine;

/// <summary>A JSON report the user gives the tool to read (--baseline, diff's inputs): read back, or one line and exit 2.</summary>
internal static class ReportJsonFile
{
    /// <param name="role">What the file is for, to name it in errors ("baseline"), or null.</param>
    public static AdvisorReport Load(string path, string? role = null)
    {
        var named = role is null ? path : $"{role} {path}";
        string json;
        try
        {
            json = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new AdvisorException(FailureKind.Usage, $"cannot read {named}: {e.Message}");
        }

        try
        {
            return JsonReportWriter.Deserialize(json);
        }
        catch (System.Text.Json.JsonException e)
        {
            throw new AdvisorException(
                FailureKind.Usage, $"{named} is not a dotnet-advisor JSON report ({WhyNot(json, e)}): give one written with -o NAME.json");
        }
    }

    /// <summary>
    /// The serializer's own message quotes the offending text, newlines and all, and names the tool's types:
    /// say where instead. Messages without a position are the report reader's own (another schema version).
    /// </summary>
    private static string WhyNot(string json, System.Text.Json.JsonException e)
    {
        if (e.LineNumber is not { } line)
        {
            return e.Message.TrimEnd('.');
        }

        try
        {
            using var _ = System.Text.Json.JsonDocument.Parse(json);
            return "JSON of another kind";
        }
        catch (System.Text.Json.JsonException)
        {
            return string.Create(CultureInfo.InvariantCulture, $"invalid JSON at line {line + 1}");
        }
    }
}
