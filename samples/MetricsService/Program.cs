// MetricsService: an ASP.NET Core minimal API whose handler reports three StatsD metrics per request over
// UDP, one datagram per metric (the ADV002 pathology on a socket: one sendto each), to a StatsD sink in the
// same process. The fixed twin (--fixed) aggregates the metrics in memory and sends them once per second.
// Driven by its own bounded loopback load, or serving an outside one (--serve). See samples/README.md.
using System.Diagnostics;
using System.Globalization;
using System.Net;
using MetricsService;

const string SampleName = "MetricsService";

Options options;
try
{
    options = Options.Parse(args);
}
catch (UsageException e)
{
    Console.Error.WriteLine($"{SampleName}: {e.Message}; {Options.Usage}");
    return 2;
}

using var sink = new UdpSink();
IMetrics metrics = options.Fixed ? new AggregatingStatsdClient(sink.EndPoint) : new StatsdClient(sink.EndPoint);
var endpoint = new OrderEndpoint(metrics);

var builder = WebApplication.CreateSlimBuilder();
builder.Logging.ClearProviders(); // per-request console logging is its own (ADV002) story
builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0)); // loopback only, any free port
var app = builder.Build();
app.MapGet("/orders/{id:int}", endpoint.Get);
await app.StartAsync();
var address = app.Urls.First();

if (options.StartAfter is { } startFile && !StartGate.WaitForFile(startFile, TimeSpan.FromSeconds(60)))
{
    Console.Error.WriteLine($"{SampleName}: gave up after 60 s waiting for '{startFile}' (--start-after)");
    await app.StopAsync();
    metrics.Dispose();
    return 3;
}

var clock = Stopwatch.StartNew();
long ok;
if (options.ServeSeconds > 0)
{
    // Said so that a load generator outside (wrk) can drive the app.
    Console.Error.WriteLine($"{SampleName} listening on {address}");
    await Task.Delay(TimeSpan.FromSeconds(options.ServeSeconds));
    ok = endpoint.Served;
}
else
{
    ok = await LoadClient.RunAsync(new Uri(address), options.Requests, options.Rate, options.Concurrency);
}

var elapsed = clock.Elapsed;
await app.StopAsync();
metrics.Dispose(); // the fixed twin's last flush; then no more datagrams
sink.Stop();

long requests = options.ServeSeconds > 0 ? endpoint.Served : options.Requests;
Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"sample={SampleName} mode={(options.Fixed ? "fixed" : "pathological")} requests={requests} ok={ok} " +
    $"datagrams_sent={metrics.DatagramsSent} datagrams_received={sink.Datagrams} metric_requests={sink.CountedRequests} " +
    $"loop_ms={elapsed.TotalMilliseconds:F1}"));
return ok == requests ? 0 : 1;
