using System.Globalization;
using Advisor.Core.Findings;
using Advisor.Core.Monitoring;
using Advisor.Reports.Otlp;

namespace Advisor.Cli.Rendering;

/// <summary>
/// monitor's output: one line per event, UTC time first, so a log shipper or grep reads it as it is.
/// "2026-12-02T20:10:00Z raised warning ADV002 unbuffered-writes pid 4242 myapp: pwrite64 ×…".
/// </summary>
internal static class MonitorLog
{
    /// <param name="recordFor">How much of each interval is recorded; null when all of it is.</param>
    public static void Started(TextWriter output, int pid, string name, string backend, TimeSpan interval, TimeSpan? recordFor, IEnumerable<string> notes)
    {
        var recording = recordFor is { } window ? $"recording {Seconds(window)} and judging every {Seconds(interval)}" : $"judging every {Seconds(interval)}";
        Line(output, DateTimeOffset.UtcNow, string.Create(
            CultureInfo.InvariantCulture, $"watching pid {pid} {name} with the {backend} backend, {recording}; Ctrl+C stops"));
        foreach (var note in notes)
        {
            Line(output, DateTimeOffset.UtcNow, $"note: {note}");
        }
    }

    public static void WatchingAll(TextWriter output, TimeSpan interval) => Line(output, DateTimeOffset.UtcNow, string.Create(
        CultureInfo.InvariantCulture, $"watching every .NET process this user may trace, as they start and exit, judging every {Seconds(interval)}; Ctrl+C stops"));

    public static void NotWatching(TextWriter output, int pid, string name, string why) =>
        Line(output, DateTimeOffset.UtcNow, string.Create(CultureInfo.InvariantCulture, $"not watching pid {pid} {name}: {why}"));

    public static void Gone(TextWriter output, int pid, string name, string why, long syscalls, long lost) => Line(output, DateTimeOffset.UtcNow, string.Create(
        CultureInfo.InvariantCulture, $"stopped watching pid {pid} {name} ({why}): {syscalls:N0} syscalls recorded, {lost:N0} lost"));

    /// <summary>What a trigger did: a hang suspected, evidence saved, a collection skipped or failed.</summary>
    public static void Collecting(TextWriter output, string text) => Line(output, DateTimeOffset.UtcNow, text);

    public static void Serving(TextWriter output, string url) => Line(output, DateTimeOffset.UtcNow, $"serving Prometheus metrics at {url}");

    public static void Sending(TextWriter output, OtlpEndpoint endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        var where = endpoint.Metrics == endpoint.Logs ? endpoint.Url.ToString() : $"{endpoint.Metrics} and {endpoint.Logs}";
        Line(output, DateTimeOffset.UtcNow, $"sending metrics and finding logs to {where} over OTLP ({endpoint.ProtocolName})");
    }

    /// <summary>
    /// OTLP exports to an endpoint started failing, or recovered: "OTLP export to http://collector:4318/v1/metrics
    /// failing: Connection refused (collector:4318); …". Called on the SDK's export threads: one WriteLine on the
    /// console's writer, which is synchronized, so the line is whole.
    /// </summary>
    public static void Export(TextWriter output, OtlpExportChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        var text = change switch
        {
            OtlpExportFailing failing => $"OTLP export to {failing.Endpoint} failing: {failing.Error}; monitor goes on judging, and says when it recovers",
            OtlpExportRecovered recovered => string.Create(
                CultureInfo.InvariantCulture,
                $"OTLP export to {recovered.Endpoint} recovered after {Seconds(recovered.Failed)}: {recovered.FailedExports:N0} export{(recovered.FailedExports == 1 ? "" : "s")} failed meanwhile and {(recovered.FailedExports == 1 ? "was" : "were")} dropped"),
            _ => throw new ArgumentOutOfRangeException(nameof(change)),
        };
        Line(output, change.At, text);
    }

    public static void Changed(TextWriter output, FindingTransition change)
    {
        ArgumentNullException.ThrowIfNull(change);
        var f = change.Finding;
        var who = f.Process is { } process ? string.Create(CultureInfo.InvariantCulture, $" pid {process.Pid} {process.Name}") : "";
        var text = change.Change == FindingChange.Raised
            ? $"raised {SeverityNames.Display(f.Severity)} {f.RuleId} {f.RuleName}{who}: {f.Message}"
            : $"cleared {f.RuleId} {f.RuleName}{who} after {Seconds(change.At - change.Since)}: last seen {f.Message}";
        Line(output, change.At, text);
    }

    public static void Stopped(TextWriter output, string why, long syscalls, long lost, int active)
    {
        Line(output, DateTimeOffset.UtcNow, string.Create(
            CultureInfo.InvariantCulture, $"stopped ({why}): {syscalls:N0} syscalls recorded, {lost:N0} lost; {active} finding{(active == 1 ? "" : "s")} active"));
    }

    private static string Seconds(TimeSpan span) => string.Create(CultureInfo.InvariantCulture, $"{span.TotalSeconds:0.#} s");

    private static void Line(TextWriter output, DateTimeOffset at, string text) =>
        output.WriteLine($"{at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)} {text}");
}
