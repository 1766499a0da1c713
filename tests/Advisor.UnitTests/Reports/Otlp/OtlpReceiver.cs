using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Advisor.Tests.Otlp;
using Google.Protobuf;

namespace Advisor.UnitTests.Reports.Otlp;

/// <summary>
/// A loopback OTLP/HTTP receiver, as a collector's otlp receiver on :4318 would be: accepts POST /v1/metrics and
/// /v1/logs, decodes each body with the OTLP protobuf definitions (otlp_subset.proto) and answers 200 with an
/// empty Export*ServiceResponse. Anything else is 404 and counted, so a wrong path fails the test that used it.
/// </summary>
public sealed class OtlpReceiver : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Task _serving;
    private readonly ConcurrentQueue<ExportMetricsServiceRequest> _metrics = new();
    private readonly ConcurrentQueue<ExportLogsServiceRequest> _logs = new();
    private readonly ConcurrentQueue<string> _refused = new();

    public OtlpReceiver()
        : this(FreePort())
    {
    }

    /// <summary>A receiver on a port chosen beforehand: a collector that comes up where monitor was already sending.</summary>
    public OtlpReceiver(int port)
    {
        Port = port;
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _serving = Task.Run(Serve);
    }

    public int Port { get; }

    /// <summary>The base endpoint, as <c>--otlp</c> takes it.</summary>
    public string Url => $"http://127.0.0.1:{Port}";

    /// <summary>Requests to any other path or method, as "POST /path".</summary>
    public IReadOnlyList<string> Refused => [.. _refused];

    public IReadOnlyList<ExportMetricsServiceRequest> MetricRequests => [.. _metrics];

    /// <summary>
    /// Waits until <paramref name="count"/> metric exports have arrived: the SDK's ForceFlush may return before the
    /// export it asked for is sent (it can see the previous export's completion), so order is only known this way.
    /// </summary>
    public void WaitForMetricRequests(int count)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (_metrics.Count < count)
        {
            (DateTime.UtcNow < deadline).ShouldBeTrue($"only {_metrics.Count} of {count} metric exports arrived");
            Thread.Sleep(20);
        }
    }

    /// <summary>Every data point received so far, with its metric and the resource it came from.</summary>
    public IReadOnlyList<ReceivedPoint> Points =>
    [
        .. from request in _metrics
           from resource in request.ResourceMetrics
           from scope in resource.ScopeMetrics
           from metric in scope.Metrics
           from point in metric.DataCase == Metric.DataOneofCase.Sum ? metric.Sum.DataPoints : metric.DataCase == Metric.DataOneofCase.Gauge ? metric.Gauge.DataPoints : []
           select new ReceivedPoint(resource.Resource, scope.Scope, metric, point),
    ];

    /// <summary>Every log record received so far, with the resource it came from.</summary>
    public IReadOnlyList<ReceivedLog> Logs =>
    [
        .. from request in _logs
           from resource in request.ResourceLogs
           from scope in resource.ScopeLogs
           from record in scope.LogRecords
           select new ReceivedLog(resource.Resource, scope.Scope, record),
    ];

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        _serving.Wait(TimeSpan.FromSeconds(10));
    }

    /// <summary>A loopback port nothing listens on now: a collector that refuses, until a receiver takes it.</summary>
    public static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    private async Task Serve()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return; // stopped
            }

            using var response = context.Response;
            var request = context.Request;
            using var body = new MemoryStream();
            await request.InputStream.CopyToAsync(body).ConfigureAwait(false);
            IMessage? answer = (request.HttpMethod, request.Url?.AbsolutePath) switch
            {
                ("POST", "/v1/metrics") => Received(_metrics, ExportMetricsServiceRequest.Parser, body, new ExportMetricsServiceResponse()),
                ("POST", "/v1/logs") => Received(_logs, ExportLogsServiceRequest.Parser, body, new ExportLogsServiceResponse()),
                _ => null,
            };
            if (answer is null)
            {
                _refused.Enqueue($"{request.HttpMethod} {request.Url?.AbsolutePath}");
                response.StatusCode = 404;
                continue;
            }

            response.StatusCode = 200;
            response.ContentType = "application/x-protobuf";
            var bytes = answer.ToByteArray();
            await response.OutputStream.WriteAsync(bytes).ConfigureAwait(false);
        }
    }

    private static IMessage Received<T>(ConcurrentQueue<T> into, MessageParser<T> parser, MemoryStream body, IMessage answer)
        where T : IMessage<T>
    {
        into.Enqueue(parser.ParseFrom(body.ToArray()));
        return answer;
    }
}

/// <summary>One data point as received.</summary>
public sealed record ReceivedPoint(Resource Resource, InstrumentationScope Scope, Metric Metric, NumberDataPoint Point)
{
    public string Name => Metric.Name;

    public double Value => Point.ValueCase == NumberDataPoint.ValueOneofCase.AsInt ? Point.AsInt : Point.AsDouble;

    public object? Attribute(string key) => OtlpValues.Of(Point.Attributes, key);
}

/// <summary>One log record as received.</summary>
public sealed record ReceivedLog(Resource Resource, InstrumentationScope Scope, LogRecord Record)
{
    public object? Attribute(string key) => OtlpValues.Of(Record.Attributes, key);
}

/// <summary>OTLP attribute values as .NET ones: string, long, double, bool, or object[] for arrays.</summary>
public static class OtlpValues
{
    public static object? Of(IEnumerable<KeyValue> attributes, string key) => attributes.FirstOrDefault(a => a.Key == key)?.Value is { } value ? Of(value) : null;

    public static object? Of(AnyValue value) => value.ValueCase switch
    {
        AnyValue.ValueOneofCase.StringValue => value.StringValue,
        AnyValue.ValueOneofCase.IntValue => value.IntValue,
        AnyValue.ValueOneofCase.DoubleValue => value.DoubleValue,
        AnyValue.ValueOneofCase.BoolValue => value.BoolValue,
        AnyValue.ValueOneofCase.ArrayValue => value.ArrayValue.Values.Select(Of).ToArray(),
        _ => null,
    };
}
