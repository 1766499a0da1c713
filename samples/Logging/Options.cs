namespace Logging;

/// <summary>Command line of the sample (see samples/README.md).</summary>
/// <param name="DeleteAtEnd">True only for the default temp log without --keep; an explicit --path is always kept.</param>
internal sealed record Options(string Library, bool Fixed, int Count, string LogPath, bool DeleteAtEnd, string? StartAfter)
{
    public const string Usage = "usage: Logging --library nlog|serilog [--fixed] [--count N] [--path P] [--keep] [--start-after FILE]";

    /// <exception cref="UsageException">On any bad argument; the message is one line.</exception>
    public static Options Parse(string[] args)
    {
        bool isFixed = false, keep = false;
        int count = 5000;
        string? library = null, path = null, startAfter = null;

        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--library": library = Value(args, ref i); break;
                case "--fixed": isFixed = true; break;
                case "--keep": keep = true; break;
                case "--count": count = IntValue(args, ref i, min: 0, max: 10_000_000); break;
                case "--path": path = Value(args, ref i); break;
                case "--start-after": startAfter = Value(args, ref i); break;
                default: throw new UsageException($"unknown argument '{args[i]}'");
            }
        }

        if (library is not ("nlog" or "serilog"))
        {
            throw new UsageException("--library must be nlog or serilog");
        }

        string defaultPath = Path.Combine(Path.GetTempPath(), $"advisor-logging-{library}-{Environment.ProcessId}.log");
        return new Options(library, isFixed, count, path ?? defaultPath, path is null && !keep, startAfter);
    }
}
