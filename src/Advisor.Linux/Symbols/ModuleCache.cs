namespace Advisor.Linux.Symbols;

/// <summary>
/// What the tool parsed of each native module (its symbols, its unwind rows), read once per file and kept,
/// failures too, for the file of the mapping that holds an address, with the address as an offset into it. Not thread-safe: each user (the report's symbolizer, a source's drain thread) has its own.
/// </summary>
/// <typeparam name="T">The parsed form; null when the file has none (no symbols, no <c>.eh_frame</c>).</typeparam>
public sealed class ModuleCache<T>(Func<string, T?> load)
    where T : class
{
    private readonly Dictionary<string, T?> _byPath = new(StringComparer.Ordinal);

    /// <summary>Modules read so far, those without anything to keep included.</summary>
    public int Count => _byPath.Count;

    /// <param name="mapping">The executable mapping that holds the address (<see cref="ExecutableMappings.Containing"/>), if any.</param>
    /// <returns>False when there is none, or it is not backed by a readable file (JIT'd code, anonymous memory).</returns>
    public bool TryFind(MemoryMapping? mapping, ulong address, out string path, out T? module, out ulong fileOffset)
    {
        (path, module, fileOffset) = ("", null, 0);
        if (mapping is null || !mapping.HasReadableFile || mapping.Path is not { } file)
        {
            return false;
        }

        if (!_byPath.TryGetValue(file, out module))
        {
            _byPath[file] = module = load(file);
        }

        (path, fileOffset) = (file, address - mapping.Start + mapping.Offset);
        return true;
    }
}
