namespace Scenarios;

/// <summary>
/// ADV007 open-close-churn: a log written with File.AppendAllText per record — open, write, close, N times.
/// The fixed twin opens one StreamWriter and writes every record through it.
/// </summary>
internal static class ReopenAppend
{
    /// <summary>
    /// Counts the records by reading the file back through the same kind of handle, loading no new assembly
    /// (a profiler that names fds from /proc after the fact would see the next file opened take the log's
    /// fd number — see docs/runtime-correlation.md).
    /// </summary>
    private static long CountLines(string path)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024);
        Span<byte> buffer = stackalloc byte[4096];
        long lines = 0;
        for (int read; (read = file.Read(buffer)) > 0;)
        {
            lines += buffer[..read].Count((byte)'\n');
        }

        return lines;
    }

    /// <returns>Records written, and the opens the loop made.</returns>
    public static (long Done, long Syscalls) Run(int records, bool isFixed)
    {
        var path = Path.Combine(Path.GetTempPath(), $"advisor-scenarios-{Environment.ProcessId}.log");
        try
        {
            if (isFixed)
            {
                using var writer = new StreamWriter(path, append: true);
                for (int i = 0; i < records; i++)
                {
                    writer.WriteLine($"record {i}");
                }
            }
            else
            {
                for (int i = 0; i < records; i++)
                {
                    File.AppendAllText(path, $"record {i}\n");
                }
            }

            return (CountLines(path), isFixed ? 1 : records);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
