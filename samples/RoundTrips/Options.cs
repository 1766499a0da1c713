namespace RoundTrips;

/// <summary>Command line of the sample (see samples/README.md).</summary>
/// <param name="Peer">postgres, redis or own (the sample's own protocol, served in-process).</param>
/// <param name="Shape">For postgres: insert or select; for redis and own: get.</param>
/// <param name="Host">The server's host (postgres, redis); 127.0.0.1 for own, whose server is in-process.</param>
/// <param name="Port">The server's port; 0 for own (a free port, chosen when the server starts).</param>
internal sealed record Options(string Peer, string Shape, bool Fixed, int Count, string Host, int Port, string Database, string? StartAfter)
{
    public const string Usage =
        "usage: RoundTrips --peer postgres|redis|own [--shape insert|select] [--server HOST:PORT] [--database NAME] [--fixed] [--count N] [--start-after FILE]";

    /// <exception cref="UsageException">On any bad argument; the message is one line.</exception>
    public static Options Parse(string[] args)
    {
        string? peer = null, shape = null, database = null, startAfter = null;
        (string Host, int Port)? server = null;
        bool isFixed = false;
        int? count = null;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--peer": peer = Value(args, ref i); break;
                case "--shape": shape = Value(args, ref i); break;
                case "--server": server = EndpointValue(args, ref i); break;
                case "--database": database = Value(args, ref i); break;
                case "--fixed": isFixed = true; break;
                case "--count": count = IntValue(args, ref i, min: 1, max: 10_000_000); break;
                case "--start-after": startAfter = Value(args, ref i); break;
                default: throw new UsageException($"unknown argument '{args[i]}'");
            }
        }

        switch (peer)
        {
            case "postgres":
                shape ??= "insert";
                if (shape is not ("insert" or "select"))
                {
                    throw new UsageException($"--shape must be insert or select, got '{shape}'");
                }

                break;
            case "redis" or "own":
                if (shape is not null || database is not null)
                {
                    throw new UsageException($"--shape and --database are for --peer postgres only");
                }

                if (peer == "own" && server is not null)
                {
                    throw new UsageException("--peer own serves itself: no --server");
                }

                shape = "get";
                break;
            default:
                throw new UsageException("--peer must be postgres, redis or own");
        }

        // The servers' usual ports on this machine when --server is not given.
        var (host, port) = server ?? ("127.0.0.1", peer switch { "postgres" => 5432, "redis" => 6379, _ => 0 });
        // Sized for about a second of pathology against a loopback server on a small machine.
        int defaultCount = peer == "postgres" ? 2000 : 5000;
        return new Options(peer, shape, isFixed, count ?? defaultCount, host, port, database ?? "postgres", startAfter);
    }
}
