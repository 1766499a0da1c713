namespace Advisor.Linux.Symbols;

/// <summary>One line of /proc/PID/maps: an address range, its permissions, and the file mapped there.</summary>
/// <param name="Offset">File offset of <paramref name="Start"/> in <paramref name="Path"/>.</param>
/// <param name="Path">The mapped file, a pseudo name (<c>[vdso]</c>), or null for anonymous memory.</param>
public sealed record MemoryMapping(ulong Start, ulong End, string Permissions, ulong Offset, string? Path)
{
    public bool IsExecutable => Permissions.Contains('x', StringComparison.Ordinal);

    /// <summary>Pseudo mappings (<c>[vdso]</c>), memfd views of JIT'd code and deleted files have no file to read.</summary>
    public bool HasReadableFile =>
        Path is { } path && path.StartsWith('/') && !path.StartsWith("/memfd:", StringComparison.Ordinal)
        && !path.Contains(" (deleted)", StringComparison.Ordinal);

    public bool Contains(ulong address) => address >= Start && address < End;
}
