namespace ConsoleStorm;

/// <summary>Command line of the sample (see samples/README.md). The payload always goes to stdout.</summary>
internal sealed record Options(bool Fixed, int Count, string? StartAfter, int Threads)
{
    public const string Usage = "usage: ConsoleStorm [--fixed] [--count N] [--threads T] [--start-after FILE]";

    /// <exception cref="UsageException">On any bad argument; the message is one line.</exception>
    public static Options Parse(string[] args)
    {
        bool isFixed = false;
        int count = 100_000, threads = 1;
        string? startAfter = null;

        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--fixed": isFixed = true; break;
                case "--count": count = IntValue(args, ref i, min: 0); break;
                case "--threads": threads = IntValue(args, ref i, min: 1, max: 1024); break;
                case "--start-after": startAfter = Value(args, ref i); break;
                case "--size" or "--path" or "--keep":
                    throw new UsageException($"{args[i]} does not apply: lines have a fixed length and go to stdout");
                default: throw new UsageException($"unknown argument '{args[i]}'");
            }
        }

        return count % threads == 0
            ? new Options(isFixed, count, startAfter, threads)
            : throw new UsageException($"--count {count} is not divisible by --threads {threads}");
    }

}
