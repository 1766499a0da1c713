namespace Hang;

/// <summary>Command line of the sample (see samples/README.md).</summary>
/// <param name="Server">The PostgreSQL server of the db-lock scenario, HOST:PORT.</param>
/// <param name="StartAfter">Run normally until this file exists, then get stuck (as <see cref="After"/>, on a test's cue).</param>
internal sealed record Options(string Scenario, string? ReleaseAfter, TimeSpan Timeout, string? HoldLock, TimeSpan After, (string Host, int Port) Server, string? StartAfter = null)
{
    public static readonly string[] Names = ["deadlock", "starvation", "aspnet-starvation", "socket-read", "db-lock", "flock", "busy", "idle"];

    public const string Usage = "usage: Hang --scenario deadlock|starvation|aspnet-starvation|socket-read|db-lock|flock|busy|idle [--server HOST:PORT] [--release-after FILE] [--timeout SECONDS] [--after SECONDS] [--start-after FILE]";

    /// <exception cref="UsageException">On any bad argument; the message is one line.</exception>
    public static Options Parse(string[] args)
    {
        string? scenario = null, releaseAfter = null, holdLock = null, startAfter = null;
        int timeout = 120, after = 0;
        (string Host, int Port)? server = null;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--scenario": scenario = Value(args, ref i); break;
                case "--release-after": releaseAfter = Value(args, ref i); break;
                case "--server": server = EndpointValue(args, ref i); break;
                case "--timeout": timeout = IntValue(args, ref i, min: 1, max: 3600); break;
                // Runs normally first, then gets stuck: what a watch sees happen to a live service.
                case "--after": after = IntValue(args, ref i, min: 0, max: 3600); break;
                case "--start-after": startAfter = Value(args, ref i); break;
                // Internal: the flock scenario's child process, which holds the lock.
                case "--hold-lock": holdLock = Value(args, ref i); break;
                default: throw new UsageException($"unknown argument '{args[i]}'");
            }
        }

        if (holdLock is null && (scenario is null || !Names.Contains(scenario)))
        {
            throw new UsageException($"--scenario must be one of {string.Join(", ", Names)}");
        }

        if (server is not null && scenario != "db-lock")
        {
            throw new UsageException("--server is for --scenario db-lock only");
        }

        // PostgreSQL's usual port on this machine when --server is not given.
        if (startAfter is not null && after > 0)
        {
            throw new UsageException("--after and --start-after are two ways to wait: give one");
        }

        return new Options(scenario ?? "hold-lock", releaseAfter, TimeSpan.FromSeconds(timeout), holdLock, TimeSpan.FromSeconds(after), server ?? ("127.0.0.1", 5432), startAfter);
    }
}
