namespace Scenarios;

/// <summary>
/// ADV007 open-close-churn: a log written with File.AppendAllText per record — open, write, close, N times.
/// The fixed twin opens one StreamWriter and writes every record through it.
/// </summary>
internal static class ReopenAppend
{
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

            return (File.ReadLines(path).LongCount(), isFixed ? 1 : records);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
