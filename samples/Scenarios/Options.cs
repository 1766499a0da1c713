namespace Scenarios;

/// <summary>Command line of the sample (see samples/README.md).</summary>
internal sealed record Options(string Scenario, bool Fixed, int Count, string? StartAfter)
{
    public static readonly string[] Names = ["small-reads", "polling-sleep", "metadata-storm", "process-spawn", "sync-over-async", "yield-spin", "failing-probe", "reopen-append", "memory-churn", "connection-churn", "blocking-io", "busy-poll", "drop-folder"];

    public const string Usage = "usage: Scenarios --scenario small-reads|polling-sleep|metadata-storm|process-spawn|sync-over-async|yield-spin|failing-probe|reopen-append|memory-churn|connection-churn|blocking-io|busy-poll|drop-folder [--fixed] [--count N] [--start-after FILE]";

    /// <exception cref="UsageException">On any bad argument; the message is one line.</exception>
    public static Options Parse(string[] args)
    {
        string? scenario = null, startAfter = null;
        bool isFixed = false;
        int? count = null;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--scenario": scenario = Value(args, ref i); break;
                case "--fixed": isFixed = true; break;
                case "--count": count = IntValue(args, ref i, min: 1, max: 10_000_000); break;
                case "--start-after": startAfter = Value(args, ref i); break;
                default: throw new UsageException($"unknown argument '{args[i]}'");
            }
        }

        if (scenario is null || !Names.Contains(scenario))
        {
            throw new UsageException($"--scenario must be one of {string.Join(", ", Names)}");
        }

        // Defaults sized for about a second of pathology on a small machine.
        int defaultCount = scenario switch { "polling-sleep" => 1000, "small-reads" => 200_000, "process-spawn" => 200, "sync-over-async" => 64, "yield-spin" => 500, "failing-probe" => 10_000, "reopen-append" => 2_000, "memory-churn" => 2_000, "connection-churn" => 500, "blocking-io" => 200, "busy-poll" => 500, "drop-folder" => 600, _ => 100_000 };
        return new Options(scenario, isFixed, count ?? defaultCount, startAfter);
    }

}
