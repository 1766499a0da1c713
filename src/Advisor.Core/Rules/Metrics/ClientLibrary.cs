using System.Text.RegularExpressions;

namespace Advisor.Core.Rules.Metrics;

/// <summary>
/// Who is on the other end of a client socket: the server, named by the client library on the stacks that
/// talked to it (Npgsql means PostgreSQL), else by its well-known port, else "a TCP service".
/// </summary>
/// <param name="Server">What the peer is: "PostgreSQL", "Redis", "a database".</param>
/// <param name="Library">The client library, or null when only the port spoke.</param>
/// <param name="Frames">Frames of the library, which also find the thread that waited for its answers.</param>
public sealed record ClientLibrary(string Server, string? Library, Regex? Frames)
{
    // Specific clients before the generic layers they sit on: Grpc.Net.Client over HttpClient, every ADO.NET
    // provider over System.Data.Common.
    private static readonly ClientLibrary[] Known =
    [
        new("PostgreSQL", "Npgsql", Pattern(@"^Npgsql\.")),
        new("Redis", "StackExchange.Redis", Pattern(@"^StackExchange\.Redis\.")),
        new("SQL Server", "SqlClient", Pattern(@"^(Microsoft|System)\.Data\.SqlClient\.")),
        new("MySQL", "MySqlConnector", Pattern(@"^(MySqlConnector|MySql\.Data)\.")),
        new("MongoDB", "MongoDB.Driver", Pattern(@"^MongoDB\.Driver\.")),
        new("a gRPC service", "Grpc.Net.Client", Pattern(@"^Grpc\.(Net\.Client|Core)\.")),
        new("an HTTP service", "HttpClient", Pattern(@"^System\.Net\.Http\.")),
        new("a database", "ADO.NET", Pattern(@"^System\.Data\.Common\.Db")),
    ];

    private static readonly Dictionary<int, string> WellKnownPorts = new()
    {
        [80] = "an HTTP service",
        [443] = "an HTTPS service",
        [1433] = "SQL Server",
        [2181] = "ZooKeeper",
        [3306] = "MySQL",
        [5432] = "PostgreSQL",
        [5672] = "RabbitMQ",
        [6379] = "Redis",
        [8080] = "an HTTP service",
        [9042] = "Cassandra",
        [9092] = "Kafka",
        [9200] = "Elasticsearch",
        [11211] = "memcached",
        [27017] = "MongoDB",
    };

    /// <summary>"PostgreSQL (Npgsql)", "Redis (port 6379)", "a TCP service".</summary>
    public string Display => Library is not null ? $"{Server} ({Library})" : Port is { } port ? $"{Server} (port {port})" : Server;

    /// <summary>The first known library any of the frames belongs to; else the port's server; else a plain service.</summary>
    public static ClientLibrary Identify(IEnumerable<string> frames, int? port, bool unix)
    {
        ArgumentNullException.ThrowIfNull(frames);
        var names = frames as IReadOnlyCollection<string> ?? frames.ToList();
        foreach (var known in Known)
        {
            if (names.Any(known.Frames!.IsMatch))
            {
                return known;
            }
        }

        return port is { } p && WellKnownPorts.TryGetValue(p, out var server)
            ? new ClientLibrary(server, null, null) { Port = p }
            : new ClientLibrary(unix ? "a service on a unix socket" : "a TCP service", null, null);
    }

    /// <summary>
    /// The known library most of these waits passed through (the caller parked in StackExchange.Redis while the
    /// library's own threads, through Pipelines.Sockets.Unofficial, did the socket I/O); null when none did.
    /// </summary>
    public static ClientLibrary? MostWaitedIn(IEnumerable<(IReadOnlyList<string> Frames, long Count)> waits)
    {
        ArgumentNullException.ThrowIfNull(waits);
        var waited = waits.ToList();
        return Known
            .Select(k => (Library: k, Count: waited.Where(w => w.Frames.Any(k.Frames!.IsMatch)).Sum(w => w.Count)))
            .Where(k => k.Count > 0)
            .OrderByDescending(k => k.Count)
            .Select(k => k.Library)
            .FirstOrDefault();
    }

    /// <summary>The well-known port that named the server, when no library did.</summary>
    public int? Port { get; init; }

    private static Regex Pattern(string pattern) => new(pattern, RegexOptions.CultureInvariant | RegexOptions.Compiled);
}
