namespace UnbufferedWriter;

/// <summary>Command line of the sample (see samples/README.md).</summary>
/// <param name="DeleteAtEnd">True only for the default temp file without --keep; an explicit --path is always kept.</param>
/// <param name="RunForSeconds">Steady mode: write for this long at a service's pace instead of --count records at once.</param>
/// <param name="BufferedAfterSeconds">Steady mode: switch to a 64 KiB buffer after this long (the fix, applied while watched).</param>
internal sealed record Options(
    bool Fixed, int Count, int Size, string OutputPath, bool DeleteAtEnd, string? StartAfter, int Threads, int? RunForSeconds = null, int? BufferedAfterSeconds = null)
{
    public const string Usage =
        "usage: UnbufferedWriter [--fixed] [--count N] [--size B] [--path P] [--keep] [--threads T] [--start-after FILE] [--run-for S [--buffered-after S]]";

    /// <exception cref="UsageException">On any bad argument; the message is one line.</exception>
    public static Options Parse(string[] args)
    {
        bool isFixed = false, keep = false;
        int count = 200_000, size = 16, threads = 1;
        int? runFor = null, bufferedAfter = null;
        string? path = null, startAfter = null;

        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--fixed": isFixed = true; break;
                case "--keep": keep = true; break;
                case "--count": count = IntValue(args, ref i, min: 0); break;
                case "--size": size = IntValue(args, ref i, min: 1, max: 16 << 20); break;
                case "--threads": threads = IntValue(args, ref i, min: 1, max: 1024); break;
                case "--path": path = Value(args, ref i); break;
                case "--start-after": startAfter = Value(args, ref i); break;
                case "--run-for": runFor = IntValue(args, ref i, min: 1, max: 3600); break;
                case "--buffered-after": bufferedAfter = IntValue(args, ref i, min: 0, max: 3600); break;
                default: throw new UsageException($"unknown argument '{args[i]}'");
            }
        }

        if (bufferedAfter is not null && runFor is null)
        {
            throw new UsageException("--buffered-after needs --run-for");
        }

        if (count % threads != 0)
        {
            throw new UsageException($"--count {count} is not divisible by --threads {threads}");
        }

        string defaultPath = Path.Combine(Path.GetTempPath(), $"advisor-unbufferedwriter-{Environment.ProcessId}.dat");
        return new Options(isFixed, count, size, path ?? defaultPath, path is null && !keep, startAfter, threads, runFor, bufferedAfter);
    }

}
