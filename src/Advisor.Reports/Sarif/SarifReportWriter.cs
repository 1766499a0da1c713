using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Advisor.Core.Reporting;
using Advisor.Core.Rules;

namespace Advisor.Reports.Sarif;

/// <summary>
/// The report as SARIF 2.1.0, so CI systems show findings natively: one run whose driver describes the rules
/// that found something (help from their advice), and one result per finding with its level, message,
/// logical location (the application method, else the path) and a fingerprint stable across runs.
/// </summary>
public static class SarifReportWriter
{
    public const string SchemaUri = "https://json.schemastore.org/sarif-2.1.0.json";
    public const string SarifVersion = "2.1.0";
    private const string ToolName = "dotnet-advisor";

    private static readonly JsonTypeInfo<SarifLog> LogType = CreateTypeInfo();

    public static string Serialize(AdvisorReport report, RuleCatalog catalog) => JsonSerializer.Serialize(Build(report, catalog), LogType);

    /// <summary>Writes the log as UTF-8 (no BOM), followed by a newline.</summary>
    /// <remarks>The stream stays open: the caller owns it.</remarks>
    public static void Write(AdvisorReport report, RuleCatalog catalog, Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var log = Build(report, catalog);
        JsonSerializer.Serialize(stream, log, LogType);
        stream.WriteByte((byte)'\n');
        stream.Flush();
    }

    internal static SarifLog Build(AdvisorReport report, RuleCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(catalog);
        var rules = SarifRules.For(report.Findings, catalog);
        var session = report.Session;
        var properties = new SarifRunProperties(
            new SarifTarget(report.Target.Pid, report.Target.Name),
            new SarifSession(session.Backend, session.DurationSeconds, session.EventsTotal, session.LostEvents),
            report.Hang is { } hang ? new SarifHang(hang.Verdict, hang.Summary, hang.NextStep) : null);
        var run = new SarifRun(
            new SarifTool(new SarifDriver(ToolName, report.Tool.Version, rules)),
            [new SarifInvocation(ExecutionSuccessful: true)],
            SarifResults.For(report.Findings, rules),
            properties);
        return new SarifLog(SchemaUri, SarifVersion, [run]);
    }

    private static JsonTypeInfo<SarifLog> CreateTypeInfo()
    {
        var options = new JsonSerializerOptions(SarifJsonContext.Default.Options)
        {
            // As in the JSON report: ×, µ, <T> and & as themselves, not \u escapes. Still valid JSON.
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        };
        options.MakeReadOnly();
        return (JsonTypeInfo<SarifLog>)options.GetTypeInfo(typeof(SarifLog));
    }
}
