namespace CleanService;

/// <summary>Command line of the sample (see samples/README.md).</summary>
/// <param name="Requests">Requests the built-in client sends; 0 with <paramref name="IdleSeconds"/> for the idle app.</param>
/// <param name="Rate">Requests per second the client keeps to (moderate load, not a benchmark).</param>
/// <param name="IdleSeconds">Send nothing for this long, then stop: the idle app (it still serves, and says where).</param>
internal sealed record Options(int Requests, int Rate, int IdleSeconds)
{
    public const string Usage = "usage: CleanService [--requests N] [--rate R] [--idle SECONDS]";

    /// <exception cref="UsageException">On any bad argument; the message is one line.</exception>
    public static Options Parse(string[] args)
    {
        int requests = 600, rate = 200, idle = 0;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--requests": requests = IntValue(args, ref i, min: 0, max: 1_000_000); break;
                case "--rate": rate = IntValue(args, ref i, min: 1, max: 10_000); break;
                case "--idle": idle = IntValue(args, ref i, min: 1, max: 3600); requests = 0; break;
                default: throw new UsageException($"unknown argument '{args[i]}'");
            }
        }

        // Requests go out in pairs (a GET and a POST).
        return requests % 2 == 0 ? new Options(requests, rate, idle) : throw new UsageException($"--requests {requests} must be even");
    }
}
