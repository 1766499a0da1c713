using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Advisor.Tests.Otlp;
using Google.Protobuf;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;

namespace Advisor.UnitTests.Reports.Otlp;

/// <summary>
/// A loopback OTLP/gRPC receiver: Kestrel speaking HTTP/2 without TLS, as a collector's otlp receiver on :4317
/// does, answering the Export calls of the metrics and logs services. gRPC frames each message with a compressed
/// flag and a length; the reply is an empty Export*ServiceResponse and grpc-status 0.
/// </summary>
public sealed class OtlpGrpcReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ExportMetricsServiceRequest> _metrics = new();
    private readonly ConcurrentQueue<ExportLogsServiceRequest> _logs = new();

    public OtlpGrpcReceiver()
    {
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            Port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, Port, o => o.Protocols = HttpProtocols.Http2));
        _app = builder.Build();
        _app.MapPost("/opentelemetry.proto.collector.metrics.v1.MetricsService/Export", c => Export(c, _metrics, ExportMetricsServiceRequest.Parser));
        _app.MapPost("/opentelemetry.proto.collector.logs.v1.LogsService/Export", c => Export(c, _logs, ExportLogsServiceRequest.Parser));
        _app.StartAsync().GetAwaiter().GetResult();
    }

    public int Port { get; }

    public string Url => $"http://127.0.0.1:{Port}";

    public IReadOnlyList<ExportMetricsServiceRequest> MetricRequests => [.. _metrics];

    public IReadOnlyList<ExportLogsServiceRequest> LogRequests => [.. _logs];

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    private static async Task Export<T>(HttpContext context, ConcurrentQueue<T> into, MessageParser<T> parser)
        where T : IMessage<T>
    {
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body).ConfigureAwait(false);
        var bytes = body.ToArray();
        var length = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(1, 4)); // after the compressed flag, which the exporter leaves 0
        into.Enqueue(parser.ParseFrom(bytes, 5, length));
        context.Response.ContentType = "application/grpc";
        await context.Response.Body.WriteAsync(new byte[5]).ConfigureAwait(false); // an empty response message
        context.Response.AppendTrailer("grpc-status", "0");
    }
}
