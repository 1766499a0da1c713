namespace Advisor.Linux.Symbols;

/// <summary>Names native frames from the ELF symbols of the files mapped at their addresses.</summary>
/// <remarks>
/// Caches each file's table (and each failure) by path. Not thread-safe: it is meant for the single thread
/// that writes the report, so the cache takes no lock.
/// </remarks>
public sealed class NativeSymbolizer
{
    private const int MaxLookBack = 8;

    private readonly Func<string, ElfSymbolTable?> _load;
    private readonly Dictionary<string, ElfSymbolTable?> _tables = new(StringComparer.Ordinal);

    public NativeSymbolizer(Func<string, ElfSymbolTable?>? load = null) => _load = load ?? ElfSymbolTable.Load;

    /// <param name="maps">
    /// The process's mappings, sorted by start address. They may overlap (a history of several snapshots):
    /// the latest-starting executable mapping that contains the address wins.
    /// </param>
    /// <returns>False when the address is in no file-backed mapping (anonymous or JIT'd code).</returns>
    public bool TryResolve(IReadOnlyList<MemoryMapping> maps, ulong address, out NativeFrame frame)
    {
        ArgumentNullException.ThrowIfNull(maps);
        frame = default;
        var mapping = Find(maps, address);
        if (mapping?.Path is not { } path || !IsFile(path))
        {
            return false;
        }

        var fileOffset = address - mapping.Start + mapping.Offset;
        var module = Path.GetFileName(path);
        if (!_tables.TryGetValue(path, out var table))
        {
            _tables[path] = table = _load(path);
        }

        frame = table is not null && table.TryFindByFileOffset(fileOffset, out var name, out var displacement)
            ? new NativeFrame(module, name, displacement)
            : new NativeFrame(module, null, fileOffset);
        return true;
    }

    /// <summary>Pseudo mappings (<c>[vdso]</c>), memfd views of JIT'd code and deleted files have no ELF to read.</summary>
    private static bool IsFile(string path) =>
        path.StartsWith('/') && !path.StartsWith("/memfd:", StringComparison.Ordinal) && !path.Contains(" (deleted)", StringComparison.Ordinal);

    private static MemoryMapping? Find(IReadOnlyList<MemoryMapping> maps, ulong address)
    {
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
