using Advisor.Linux.Symbols;

namespace Advisor.Runtime.Symbols;

/// <summary>
/// The executable mappings of traced processes, read from /proc while they run: a launched command has
/// exited by report time, and its libraries' addresses must be known to name native frames.
/// </summary>
public sealed class MapsHistory
{
    private readonly Lock _lock = new();
    private readonly Dictionary<int, SortedDictionary<ulong, MemoryMapping>> _byPid = new();

    /// <summary>Reads the process's current mappings; a later mapping at the same address replaces an older one.</summary>
    public void Capture(int pid)
    {
        var maps = ProcMaps.Read(pid);
        if (maps.Count == 0)
        {
            return;
        }

        lock (_lock)
        {
            if (!_byPid.TryGetValue(pid, out var known))
            {
                _byPid[pid] = known = new SortedDictionary<ulong, MemoryMapping>();
            }

            foreach (var mapping in maps.Where(m => m.IsExecutable))
            {
                known[mapping.Start] = mapping;
            }
        }
    }

    /// <summary>The mappings seen for the process, by start address; captured now if never before.</summary>
    public IReadOnlyList<MemoryMapping> For(int pid)
    {
        lock (_lock)
        {
            if (_byPid.TryGetValue(pid, out var known))
            {
                return known.Values.ToList();
            }
        }

        Capture(pid);
        lock (_lock)
        {
            return _byPid.TryGetValue(pid, out var known) ? known.Values.ToList() : [];
        }
    }
}
