// OrdersService: an ASP.NET Core minimal API over PostgreSQL (Npgsql) whose GET /customers/{id}/orders-slow
// reads a customer's orders one query per order (the ADV019 "round-trip-storm" pathology in a service: the N+1
// query, 21 round trips per request), beside GET /customers/{id}/orders, the same answer from one aggregate query.
// Driven by its own bounded loopback load (the slow endpoint; --fixed: the healthy one), or serving an outside
// one (--serve). See samples/README.md.
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Npgsql;
using OrdersService;

const string SampleName = "OrdersService";

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

await using var database = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder
{
    Host = options.Host,
    Port = options.Port,
    Database = options.Database,
    Username = "postgres", // trust authentication: no password
    Timeout = 10,
}.ToString());
try
{
    await OrderSummaries.SeedAsync(database);
}
catch (Exception e) when (e is NpgsqlException or SocketException or IOException or TimeoutException)
{
    Console.Error.WriteLine($"{SampleName}: {e.Message}");
    return 1;
}

var summaries = new OrderSummaries(database);
var builder = WebApplication.CreateSlimBuilder();
builder.Logging.ClearProviders(); // per-request console logging is its own (ADV002) story
builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0)); // loopback only, any free port
var app = builder.Build();
long served = 0;
app.MapGet("/customers/{id:int}/orders-slow", async (int id) =>
{
    Interlocked.Increment(ref served);
    return id is >= 1 and <= OrderSummaries.Customers ? Results.Ok(await summaries.LoadOneByOne(id)) : Results.NotFound();
});
app.MapGet("/customers/{id:int}/orders", async (int id) =>
{
    Interlocked.Increment(ref served);
    return id is >= 1 and <= OrderSummaries.Customers ? Results.Ok(await summaries.LoadTotal(id)) : Results.NotFound();
});
await app.StartAsync();
var address = app.Urls.First();

if (options.StartAfter is { } startFile && !StartGate.WaitForFile(startFile, TimeSpan.FromSeconds(60)))
{
    Console.Error.WriteLine($"{SampleName}: gave up after 60 s waiting for '{startFile}' (--start-after)");
    await app.StopAsync();
    return 3;
}

var clock = Stopwatch.StartNew();
long ok;
if (options.ServeSeconds > 0)
{
    // Said so that a load generator outside (wrk, a test's HttpClient) can drive the app.
    Console.Error.WriteLine($"{SampleName} listening on {address}");
    try
    {
        // SIGTERM and Ctrl+C stop the host (its console lifetime), and the serving with it.
        await Task.Delay(TimeSpan.FromSeconds(options.ServeSeconds), app.Lifetime.ApplicationStopping);
    }
    catch (OperationCanceledException)
    {
    }

    ok = Interlocked.Read(ref served);
}
else
{
    ok = await LoadClient.RunAsync(new Uri(address), options.Fixed ? "orders" : "orders-slow", options.Requests, options.Concurrency);
}

var elapsed = clock.Elapsed;
await app.StopAsync();

long requests = options.ServeSeconds > 0 ? Interlocked.Read(ref served) : options.Requests;
Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"sample={SampleName} mode={(options.ServeSeconds > 0 ? "serve" : options.Fixed ? "fixed" : "pathological")} requests={requests} ok={ok} " +
    $"db_round_trips={summaries.RoundTrips} loop_ms={elapsed.TotalMilliseconds:F1}"));
return ok == requests ? 0 : 1;
