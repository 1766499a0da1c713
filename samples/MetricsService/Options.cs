namespace MetricsService;

/// <summary>Command line of the sample (see samples/README.md).</summary>
/// <param name="Requests">Requests the built-in client sends (0 with <paramref name="ServeSeconds"/>).</param>
/// <param name="Rate">Requests per second the client keeps to, on average.</param>
/// <param name="Concurrency">Requests the client keeps in flight at most (its workers).</param>
/// <param name="ServeSeconds">No built-in client: serve an outside load (wrk) for this long, then stop.</param>
internal sealed record Options(bool Fixed, int Requests, int Rate, int Concurrency, int ServeSeconds, string? StartAfter)
{
    public const string Usage =
        "usage: MetricsService [--fixed] [--requests N] [--rate R] [--concurrency C] [--serve SECONDS] [--start-after FILE]";

    /// <exception cref="UsageException">On any bad argument; the message is one line.</exception>
    public static Options Parse(string[] args)
    {
        bool isFixed = false;
        int requests = 4000, rate = 1000, concurrency = 8, serve = 0;
        string? startAfter = null;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--fixed": isFixed = true; break;
                case "--requests": requests = IntValue(args, ref i, min: 0, max: 1_000_000); break;
                case "--rate": rate = IntValue(args, ref i, min: 1, max: 100_000); break;
                case "--concurrency": concurrency = IntValue(args, ref i, min: 1, max: 256); break;
                case "--serve": serve = IntValue(args, ref i, min: 1, max: 3600); break;
                case "--start-after": startAfter = Value(args, ref i); break;
                default: throw new UsageException($"unknown argument '{args[i]}'");
            }
        }

        return new Options(isFixed, serve > 0 ? 0 : requests, rate, concurrency, serve, startAfter);
    }
}
