using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace MetricsService;

/// <summary>
/// GET /orders/{id}: prices a small made-up order, answers it as JSON, and reports three metrics per request
/// (a request counter, the handler's latency, the bytes answered), as an instrumented service does.
/// A named method rather than a lambda, so that stacks name it.
/// </summary>
internal sealed class OrderEndpoint(IMetrics metrics)
{
    private static readonly string[] Items = ["widget", "gadget", "sprocket", "flange", "gizmo"];

    private long served;

    /// <summary>Requests handled so far.</summary>
    public long Served => Interlocked.Read(ref served);

    [MethodImpl(MethodImplOptions.NoInlining)]
    public IResult Get(int id)
    {
        long start = Stopwatch.GetTimestamp();
        var lines = new OrderLine[1 + (id % 3)];
        for (int i = 0; i < lines.Length; i++)
        {
            int quantity = 1 + ((id + i) % 5);
            lines[i] = new OrderLine(Items[(id + i) % Items.Length], quantity, quantity * (199 + (id % 800)));
        }

        var order = new Order(id, lines, lines.Sum(l => l.PriceCents));
        byte[] json = JsonSerializer.SerializeToUtf8Bytes(order, OrderJson.Default.Order);

        metrics.Increment("orders.requests", 1);
        metrics.Timing("orders.latency", Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        metrics.Increment("orders.bytes", json.Length);
        Interlocked.Increment(ref served);
        return Results.Bytes(json, "application/json");
    }
}

internal sealed record Order(int Id, OrderLine[] Lines, long TotalCents);

internal sealed record OrderLine(string Item, int Quantity, long PriceCents);

/// <summary>Source-generated serialization: no reflection per request.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(Order))]
internal sealed partial class OrderJson : JsonSerializerContext;
