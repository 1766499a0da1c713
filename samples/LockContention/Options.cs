namespace LockContention;

/// <summary>Command line of the sample (see samples/README.md). The sample writes no file.</summary>
internal sealed record Options(bool Fixed, int Tasks, int Count, int Markers, string? StartAfter)
{
    public const string Usage =
        "usage: LockContention [--fixed] [--tasks T] [--count N] [--markers M] [--start-after FILE]";

    /// <exception cref="UsageException">On any bad argument; the message is one line.</exception>
    public static Options Parse(string[] args)
    {
        bool isFixed = false;
        int tasks = 8, count = 80_000, markers = 0;
        string? startAfter = null;

        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--fixed": isFixed = true; break;
                case "--tasks": tasks = IntValue(args, ref i, min: 1, max: 1024); break;
                case "--count": count = IntValue(args, ref i, min: 0); break;
                case "--markers": markers = IntValue(args, ref i, min: 0, max: 1000); break;
                case "--start-after": startAfter = Value(args, ref i); break;
                case "--threads":
                    throw new UsageException("--threads does not apply: the work runs on the thread pool, use --tasks");
                case "--size" or "--path" or "--keep":
                    throw new UsageException($"{args[i]} does not apply: the sample writes no file");
                default: throw new UsageException($"unknown argument '{args[i]}'");
            }
        }

        return count % tasks == 0
            ? new Options(isFixed, tasks, count, markers, startAfter)
            : throw new UsageException($"--count {count} is not divisible by --tasks {tasks}");
    }

}
