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
    private readonly Func<string, CallFrameTable?> _load;
    private readonly Dictionary<int, Mappings> _processes = new();
    private readonly Dictionary<string, CallFrameTable?> _tables = new(StringComparer.Ordinal);

    public ProcessUnwindRows(Func<int, IReadOnlyList<MemoryMapping>>? readMaps = null, Func<string, CallFrameTable?>? load = null)
    {
        _readMaps = readMaps ?? ProcMaps.Read;
        _load = load ?? CallFrameTable.Load;
    }

    /// <summary>Modules whose tables were parsed (a null entry is a module without any, such as a ReadyToRun image).</summary>
    public int ModulesLoaded => _tables.Count;

    public bool TryFind(int pid, ulong address, out UnwindRow row)
    {
        row = default;
        var mapping = MappingOf(pid, address);
        if (mapping is null || !mapping.HasReadableFile || mapping.Path is not { } path)
        {
            return false;
        }

        if (!_tables.TryGetValue(path, out var table))
        {
            _tables[path] = table = _load(path);
        }

        return table is not null && table.TryFindByFileOffset(address - mapping.Start + mapping.Offset, out row);
    }

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
