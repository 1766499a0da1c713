using System.Diagnostics.Tracing;
using System.Globalization;

namespace Advisor.Reports.Otlp;

/// <summary>
/// Each OTLP export's outcome, read from the events the SDK's exporter writes on its own event source (a failure with
/// the endpoint and the exception, a success with the endpoint): the exporter returns only success or failure, so
/// this is the one place that says why. Only the endpoints under monitor's URL are followed, so another exporter in
/// the process (a test's) is not mistaken for monitor's.
/// </summary>
internal sealed class OtlpExportEvents : EventListener
{
    private const string SourceName = "OpenTelemetry-Exporter-OpenTelemetryProtocol";

    /// <summary>The events of a failed attempt to send one export; each names the endpoint first.</summary>
    private static readonly HashSet<string> Failures =
        ["FailedToReachCollector", "HttpRequestFailed", "RequestTimedOut", "OperationUnexpectedlyCanceled", "TransientHttpError", "ExportFailure"];

    private readonly string _server;
    private readonly TimeSpan _timeout;
    private readonly ExportHealth _health;

    /// <param name="timeout">Each export's timeout, to say what a timed-out export waited for.</param>
    public OtlpExportEvents(Uri url, TimeSpan timeout, ExportHealth health)
    {
        _server = Server(url);
        _timeout = timeout;
        _health = health;
        foreach (var source in EventSource.GetSources().Where(s => s.Name == SourceName))
        {
            Enable(source);
        }
    }

    /// <summary>The exception's message as the SDK wrote it, without its type, inner exceptions or stack: "Connection refused (127.0.0.1:4318)".</summary>
    public static string Summary(string exception)
    {
        var line = exception.AsSpan().TrimStart();
        var end = line.IndexOfAny('\r', '\n');
        line = (end < 0 ? line : line[..end]).TrimEnd();
        var colon = line.IndexOf(": ", StringComparison.Ordinal);
        // "System.Net.Http.HttpRequestException: Connection refused (…)": a type name has no spaces before its colon.
        if (colon > 0 && !line[..colon].Contains(' '))
        {
            line = line[(colon + 2)..];
        }

        return line.ToString();
    }

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        // EventListener's constructor calls this for the sources that exist already, before this one's fields are
        // set: those are enabled by the constructor below.
        if (eventSource.Name == SourceName && _server is not null)
        {
            Enable(eventSource);
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        if (eventData.Payload is not [string endpoint, ..] payload || !endpoint.StartsWith(_server, StringComparison.OrdinalIgnoreCase))
        {
            return;
        }

        if (eventData.EventName == "ExportSuccess")
        {
            _health.Succeeded(endpoint);
        }
        else if (eventData.EventName is { } name && Failures.Contains(name))
        {
            var error = name switch
            {
                // The SDK's own deadline: its exception says only "The operation was canceled."
                "RequestTimedOut" => string.Create(CultureInfo.InvariantCulture, $"no answer in {_timeout.TotalSeconds:0.#} s"),
                "ExportFailure" => string.Join(" ", payload.Skip(1).OfType<string>()), // gRPC: a message and the call's status
                _ => Summary(payload[^1] as string ?? name),
            };
            _health.Failed(endpoint, error);
        }
    }

    /// <summary>Informational: a success is an event of that level, the failures are warnings and errors.</summary>
    private void Enable(EventSource source) => EnableEvents(source, EventLevel.Informational);

    /// <summary>Scheme, host and port, as the SDK writes an endpoint (no user info, no query): every signal's endpoint begins so.</summary>
    private static string Server(Uri url) => url.GetComponents(UriComponents.SchemeAndServer, UriFormat.UriEscaped) + "/";
}
