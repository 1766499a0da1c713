namespace Scenarios;

/// <summary>
/// ADV017 metadata-storm: File.Exists on the same path before each of N operations, as a config or
/// feature-flag check in a hot path does. The fixed twin asks once and keeps the answer.
/// </summary>
internal static class MetadataStorm
{
    /// <returns>How many of the operations saw the file, and the stat-family calls the loop made.</returns>
    public static (long Seen, long Syscalls) Run(int operations, bool isFixed)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Scenarios.dll");
        long seen = 0;
        bool? cached = isFixed ? File.Exists(path) : null;
        for (int i = 0; i < operations; i++)
        {
            if (cached ?? File.Exists(path))
            {
                seen++;
            }
        }

        return (seen, isFixed ? 1 : operations);
    }
}
