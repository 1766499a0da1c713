namespace Advisor.Linux.Symbols;

/// <summary>Which executable mapping holds an address, in a process's mappings sorted by start address.</summary>
public static class ExecutableMappings
{
    private const int MaxLookBack = 8;

    /// <param name="maps">
    /// Sorted by start address. They may overlap (a history of several snapshots): the latest-starting
    /// executable mapping that contains the address wins.
    /// </param>
    /// <returns>The mapping, or null when the address is in no executable mapping (JIT'd code in anonymous memory).</returns>
    public static MemoryMapping? Containing(IReadOnlyList<MemoryMapping> maps, ulong address)
    {
        ArgumentNullException.ThrowIfNull(maps);
        var lo = 0;
        var hi = maps.Count - 1;
        while (lo <= hi)
        {
            var mid = (lo + hi) >>> 1;
            if (maps[mid].Start <= address)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        // Snapshots merged over time can leave an older, larger mapping before the one found: look back a
        // little, bounded so that addresses in no mapping (JIT'd code, the common miss) stay cheap.
        for (var i = hi; i >= 0 && i > hi - MaxLookBack; i--)
        {
            if (maps[i].IsExecutable && maps[i].Contains(address))
            {
                return maps[i];
            }
        }

        return null;
    }
}
