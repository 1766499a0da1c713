// CleanService: a well-behaved ASP.NET Core minimal API on loopback, driven by its own bounded client at a
// moderate rate (or left idle with --idle). It is the "no false alarms" sample: under dotnet-advisor it must
// produce no warning (and, idle, no finding at all). See samples/README.md.
using System.Diagnostics;
using System.Globalization;
using System.Net;
using CleanService;

const string SampleName = "CleanService";

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

var builder = WebApplication.CreateSlimBuilder();
builder.Logging.ClearProviders(); // per-request console logging is its own (ADV002) story
builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0)); // loopback only, any free port
var app = builder.Build();
var orders = new Inventory();
app.MapGet("/items/{id:int}", (int id) => orders.Get(id));
app.MapPost("/items/{id:int}", (int id) => orders.Reserve(id));
await app.StartAsync();
var address = app.Urls.First();

var clock = Stopwatch.StartNew();
long ok = 0;
if (options.IdleSeconds > 0)
{
    // Said so that a load generator outside (bench/overhead/web.sh) can drive the idle app.
    Console.Error.WriteLine($"{SampleName} listening on {address}");
    try
    {
        // SIGTERM and Ctrl+C stop the host (its console lifetime), and the idle app with it.
        await Task.Delay(TimeSpan.FromSeconds(options.IdleSeconds), app.Lifetime.ApplicationStopping);
    }
    catch (OperationCanceledException)
    {
    }
}
else
{
    // One shared client, as it should be; requests paced to the rate, two in flight at a time.
    using var client = new HttpClient { BaseAddress = new Uri(address) };
    var interval = TimeSpan.FromSeconds(1.0 / options.Rate);
    for (int i = 0; i < options.Requests; i += 2)
    {
        var next = clock.Elapsed + (2 * interval);
        var get = client.GetAsync($"/items/{i % 100}");
        var post = client.PostAsync($"/items/{(i + 1) % 100}", null);
        foreach (var response in await Task.WhenAll(get, post))
        {
            ok += response.IsSuccessStatusCode ? 1 : 0;
            response.Dispose();
        }

        var wait = next - clock.Elapsed;
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait);
        }
    }
}

var elapsed = clock.Elapsed;
await app.StopAsync();
Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"sample={SampleName} mode={(options.IdleSeconds > 0 ? "idle" : "load")} requests={options.Requests} ok={ok} rate={options.Rate} loop_ms={elapsed.TotalMilliseconds:F1}"));
return ok == options.Requests ? 0 : 1;
