using System.Diagnostics;
using Advisor.Linux.Symbols;

namespace Advisor.Linux.Unwinding;

/// <summary>
/// The unwind rows of the traced processes' native modules: which file is mapped at an address (from
/// /proc/PID/maps), and that file's <c>.eh_frame</c> rules, parsed once per module and kept.
/// </summary>
/// <remarks>
/// Used on a source's drain thread while the target runs. An address in no executable mapping known means the
/// mappings are older than the code (a library loaded since, such as SQLite's on its first use, or libc itself for a
/// process still in its exec): they are read again, at most once per <see cref="RefreshAfter"/>, which bounds what
/// a stack of garbage can cost. JIT'd code is in executable mappings without a file (answered with no rows, no
/// read). Not thread-safe.
/// </remarks>
public sealed class ProcessUnwindRows : IUnwindRows
{
    private static readonly TimeSpan RefreshAfter = TimeSpan.FromMilliseconds(20);

    // A launch's short-lived children each get an entry; past this many, the mappings are all read afresh.
    private const int MaxProcesses = 256;

    private readonly Func<int, IReadOnlyList<MemoryMapping>> _readMaps;
    private readonly Dictionary<int, Mappings> _processes = new();
    private readonly ModuleCache<CallFrameTable> _tables;

    public ProcessUnwindRows(Func<int, IReadOnlyList<MemoryMapping>>? readMaps = null, Func<string, CallFrameTable?>? load = null)
    {
        _readMaps = readMaps ?? ProcMaps.Read;
        _tables = new(load ?? CallFrameTable.Load);
    }

    /// <summary>Modules whose tables were parsed (a module without any, such as a ReadyToRun image, counts too).</summary>
    public int ModulesLoaded => _tables.Count;

    public bool TryFind(int pid, ulong address, out UnwindRow row)
    {
        row = default;
        return _tables.TryFind(MappingOf(pid, address), address, out _, out var table, out var fileOffset)
            && table is not null && table.TryFindByFileOffset(fileOffset, out row);
    }

    /// <summary>The executable mapping holding the address; the process's mappings are read again (at most once per <see cref="RefreshAfter"/>) when none does.</summary>
    private MemoryMapping? MappingOf(int pid, ulong address)
    {
        if (!_processes.TryGetValue(pid, out var known))
        {
            if (_processes.Count >= MaxProcesses)
            {
                _processes.Clear();
            }

            _processes[pid] = known = new Mappings(_readMaps(pid), Stopwatch.GetTimestamp());
        }

        var mapping = ExecutableMappings.Containing(known.List, address);
        if (mapping is null && Stopwatch.GetElapsedTime(known.ReadAt) > RefreshAfter)
        {
            _processes[pid] = known = new Mappings(_readMaps(pid), Stopwatch.GetTimestamp());
            mapping = ExecutableMappings.Containing(known.List, address);
        }

        return mapping;
    }

    private sealed record Mappings(IReadOnlyList<MemoryMapping> List, long ReadAt);
}
