namespace OrdersService;

/// <summary>Command line of the sample (see samples/README.md).</summary>
/// <param name="Requests">Requests the built-in client sends (0 with <paramref name="ServeSeconds"/>).</param>
/// <param name="Concurrency">Requests the built-in client keeps in flight.</param>
/// <param name="ServeSeconds">No built-in client: serve an outside load (wrk, curl) for this long, then stop.</param>
internal sealed record Options(bool Fixed, string Host, int Port, string Database, int Requests, int Concurrency, int ServeSeconds, string? StartAfter)
{
    public const string Usage =
        "usage: OrdersService [--server HOST:PORT] [--database NAME] [--fixed] [--requests N] [--concurrency C] [--serve SECONDS] [--start-after FILE]";

    /// <exception cref="UsageException">On any bad argument; the message is one line.</exception>
    public static Options Parse(string[] args)
    {
        bool isFixed = false;
        string host = "127.0.0.1", database = "postgres";
        int port = 5432, requests = 400, concurrency = 4, serve = 0;
        string? startAfter = null;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--server": (host, port) = EndpointValue(args, ref i); break;
                case "--database": database = Value(args, ref i); break;
                case "--fixed": isFixed = true; break;
                case "--requests": requests = IntValue(args, ref i, min: 0, max: 1_000_000); break;
                case "--concurrency": concurrency = IntValue(args, ref i, min: 1, max: 256); break;
                case "--serve": serve = IntValue(args, ref i, min: 1, max: 3600); break;
                case "--start-after": startAfter = Value(args, ref i); break;
                default: throw new UsageException($"unknown argument '{args[i]}'");
            }
        }

        return new Options(isFixed, host, port, database, serve > 0 ? 0 : requests, concurrency, serve, startAfter);
    }
}
