using System.Globalization;
using Advisor.Core.Findings;
using Advisor.Core.Monitoring;
using Advisor.Reports.Json;
using Microsoft.Extensions.Logging;

namespace Advisor.Reports.Otlp;

/// <summary>
/// monitor's events as OpenTelemetry log records: the body is the line monitor prints, the attributes are what a
/// collector routes on (<c>dotnet_advisor.event</c>, <c>rule</c>, <c>severity</c>, <c>pid</c>, <c>process</c>) and
/// the finding itself (<c>message</c>, <c>site</c>, <c>advice</c>, and <c>finding</c>: its JSON as the report's
/// <c>findings[]</c> holds it).
/// </summary>
internal sealed class FindingLog(ILogger logger, Func<Finding, string?> site)
{
    /// <summary>The attribute naming what happened: raised, cleared or collected.</summary>
    public const string EventAttribute = "dotnet_advisor.event";

    public void Changed(IntervalOutcome interval, FindingTransition change)
    {
        var f = change.Finding;
        var raised = change.Change == FindingChange.Raised;
        var pid = f.Process?.Pid ?? interval.Pid;
        var process = f.Process?.Name ?? interval.Process;
        var who = string.Create(CultureInfo.InvariantCulture, $"pid {pid} {process}");
        var body = raised
            ? $"raised {SeverityNames.Display(f.Severity)} {f.RuleId} {f.RuleName} {who}: {f.Message}"
            : string.Create(CultureInfo.InvariantCulture, $"cleared {f.RuleId} {f.RuleName} {who} after {(change.At - change.Since).TotalSeconds:0.#} s: last seen {f.Message}");
        List<KeyValuePair<string, object?>> attributes =
        [
            new(EventAttribute, raised ? "raised" : "cleared"),
            new("rule", f.RuleId),
            new("severity", SeverityNames.Display(f.Severity)),
            new("pid", pid),
            new("process", process),
            new("message", f.Message),
        ];
        if (site(f) is { } where)
        {
            attributes.Add(new("site", where));
        }

        attributes.Add(new("advice", f.Advice.Select(a => a.Text).ToArray()));
        attributes.Add(new("finding", JsonReportWriter.Serialize(f)));
        logger.Log(raised ? Level(f.Severity) : LogLevel.Information, default, attributes, null, (_, _) => body);
    }

    public void Collected(Collection collection)
    {
        var kind = collection.Kind.ToString().ToLowerInvariant();
        var body = string.Create(
            CultureInfo.InvariantCulture, $"collected a {kind} of pid {collection.Pid} {collection.Process} on {collection.Trigger}: {string.Join(", ", collection.Paths)}");
        List<KeyValuePair<string, object?>> attributes =
        [
            new(EventAttribute, "collected"),
            new("kind", kind),
            new("trigger", collection.Trigger),
            new("pid", collection.Pid),
            new("process", collection.Process),
            new("paths", collection.Paths.ToArray()),
        ];
        logger.Log(LogLevel.Information, default, attributes, null, (_, _) => body);
    }

    private static LogLevel Level(Severity severity) => severity switch
    {
        Severity.Error => LogLevel.Error,
        Severity.Warning => LogLevel.Warning,
        _ => LogLevel.Information,
    };
}
