namespace SqliteOrders;

/// <summary>Command line of the sample (see samples/README.md).</summary>
/// <param name="DeleteAtEnd">True only for the default temp database without --keep; an explicit --path is always kept.</param>
internal sealed record Options(bool Fixed, int Count, string DatabasePath, bool DeleteAtEnd, string? StartAfter)
{
    public const string Usage = "usage: SqliteOrders [--fixed] [--count N] [--path P] [--keep] [--start-after FILE]";

    /// <exception cref="UsageException">On any bad argument; the message is one line.</exception>
    public static Options Parse(string[] args)
    {
        bool isFixed = false, keep = false;
        int count = 2000;
        string? path = null, startAfter = null;

        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--fixed": isFixed = true; break;
                case "--keep": keep = true; break;
                case "--count": count = IntValue(args, ref i, min: 0, max: 10_000_000); break;
                case "--path": path = Value(args, ref i); break;
                case "--start-after": startAfter = Value(args, ref i); break;
                default: throw new UsageException($"unknown argument '{args[i]}'");
            }
        }

        string defaultPath = Path.Combine(Path.GetTempPath(), $"advisor-sqliteorders-{Environment.ProcessId}.db");
        return new Options(isFixed, count, path ?? defaultPath, path is null && !keep, startAfter);
    }
}
