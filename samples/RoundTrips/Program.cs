// RoundTrips: many sequential request/response exchanges with one server, each waiting for its answer before
// the next is sent (the ADV019 "round-trip-storm" pathology: a query or cache read per item, N+1), against a
// real PostgreSQL (Npgsql), a real Redis (StackExchange.Redis) or the sample's own protocol served in-process;
// and the fixed twins, which batch. See samples/README.md.
using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using Npgsql;
using RoundTrips;
using StackExchange.Redis;

const string SampleName = "RoundTrips";

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

long roundTrips, result, expected;
string server;
TimeSpan elapsed;
try
{
    // The setup (connect, create and fill what the work reads) before the gate: a profiler attached at the gate
    // sees the work only.
    using IRoundTrips work = (options.Peer, options.Shape) switch
    {
        ("postgres", "insert") => new OrderImporter(OrderRows.ConnectionString(options.Host, options.Port, options.Database)),
        ("postgres", _) => new OrderLookup(OrderRows.ConnectionString(options.Host, options.Port, options.Database), options.Count),
        ("redis", _) => new PriceCache(options.Host, options.Port, options.Count),
        _ => new QuoteClient(),
    };
    server = work is QuoteClient ? "in-process" : $"{options.Host}:{options.Port}";
    if (options.StartAfter is { } startFile && !StartGate.WaitForFile(startFile, TimeSpan.FromSeconds(60)))
    {
        Console.Error.WriteLine($"{SampleName}: gave up after 60 s waiting for '{startFile}' (--start-after)");
        return 3;
    }

    var clock = Stopwatch.StartNew();
    roundTrips = work.Run(options.Count, options.Fixed);
    elapsed = clock.Elapsed;
    result = work.Result();
    expected = options.Shape switch
    {
        "insert" => options.Count,
        "select" => OrderRows.TotalCents(options.Count),
        _ => Enumerable.Range(0, options.Count).Sum(i => QuoteProtocol.Quote(i)),
    };
}
catch (Exception e) when (e is NpgsqlException or RedisException or TimeoutException or SocketException or IOException or InvalidDataException)
{
    Console.Error.WriteLine($"{SampleName}: {e.Message}");
    return 1;
}

Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"sample={SampleName} peer={options.Peer} shape={options.Shape} mode={(options.Fixed ? "fixed" : "pathological")} fixed={(options.Fixed ? "true" : "false")} " +
    $"count={options.Count} round_trips={roundTrips} result={result} server={server} elapsed_ms={elapsed.TotalMilliseconds:F1}"));
return result == expected ? 0 : 1;
