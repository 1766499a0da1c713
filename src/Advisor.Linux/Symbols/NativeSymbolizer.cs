namespace Advisor.Linux.Symbols;

/// <summary>Names native frames from the ELF symbols of the files mapped at their addresses.</summary>
/// <remarks>
/// Caches each file's table (and each failure) by path. Not thread-safe: it is meant for the single thread
/// that writes the report, so the cache takes no lock.
/// </remarks>
public sealed class NativeSymbolizer
{
    private readonly ModuleCache<ElfSymbolTable> _tables;

    public NativeSymbolizer(Func<string, ElfSymbolTable?>? load = null) => _tables = new(load ?? ElfSymbolTable.Load);

    /// <param name="maps">The process's mappings, sorted by start address (see <see cref="ExecutableMappings.Containing"/>).</param>
    /// <returns>False when the address is in no file-backed mapping (anonymous or JIT'd code).</returns>
    public bool TryResolve(IReadOnlyList<MemoryMapping> maps, ulong address, out NativeFrame frame)
    {
        ArgumentNullException.ThrowIfNull(maps);
        frame = default;
        if (!_tables.TryFind(ExecutableMappings.Containing(maps, address), address, out var path, out var table, out var fileOffset))
        {
            return false;
        }

        var module = Path.GetFileName(path);
        frame = table is not null && table.TryFindByFileOffset(fileOffset, out var name, out var displacement)
            ? new NativeFrame(module, name, displacement)
            : new NativeFrame(module, null, fileOffset);
        return true;
    }
}
