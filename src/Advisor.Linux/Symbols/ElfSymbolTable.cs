using System.Buffers.Binary;
using System.Text;
using Advisor.Linux.Elf;

namespace Advisor.Linux.Symbols;

/// <summary>
/// The function symbols of an ELF64 little-endian file (x86_64, aarch64) and its loadable segments: enough
/// to name a native frame. Reads headers and the symbol sections only, never the whole file.
/// </summary>
public sealed class ElfSymbolTable
{
    private const int SymbolSize = 24;
    private const int SttFunc = 2;
    private const int SttGnuIfunc = 10;
    private const int StbGlobal = 1;
    private const int StbWeak = 2;
    private const int StbGnuUnique = 10;
    private const ushort ShnUndef = 0;

    /// <summary>A symbol without a size reaches to the next one, but not further than this.</summary>
    private const ulong UnsizedReach = 64 * 1024;

    private readonly Symbol[] _symbols;
    private readonly LoadSegments _segments;

    private ElfSymbolTable(Symbol[] symbols, LoadSegments segments)
    {
        _symbols = symbols;
        _segments = segments;
    }

    public int Count => _symbols.Length;

    /// <returns>The table, or null for anything that is not a readable ELF64 little-endian file.</returns>
    /// <remarks>Without a .symtab, the function symbols come from the installed debug file of the build id, if any.</remarks>
    public static ElfSymbolTable? Load(string path) => Load(path, DebugFiles.Installed);

    /// <param name="debugFiles">Where to look for a debug file when the file itself has no .symtab.</param>
    public static ElfSymbolTable? Load(string path, DebugFiles debugFiles)
    {
        ArgumentNullException.ThrowIfNull(debugFiles);
        using var image = ElfImage.Open(path);
        return image is null ? null : Read(image, debugFiles);
    }

    /// <summary>Names the function at a file offset (as /proc/PID/maps gives: address - start + offset).</summary>
    public bool TryFindByFileOffset(ulong fileOffset, out string name, out ulong displacement)
    {
        if (_segments.TryToVirtualAddress(fileOffset, out var virtualAddress))
        {
            return TryFind(virtualAddress, out name, out displacement);
        }

        name = string.Empty;
        displacement = 0;
        return false;
    }

    public bool TryFind(ulong virtualAddress, out string name, out ulong displacement)
    {
        var lo = 0;
        var hi = _symbols.Length - 1;
        while (lo <= hi)
        {
            var mid = (lo + hi) >>> 1;
            if (_symbols[mid].Address <= virtualAddress)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        if (hi >= 0 && virtualAddress - _symbols[hi].Address < _symbols[hi].Reach)
        {
            name = _symbols[hi].Name;
            displacement = virtualAddress - _symbols[hi].Address;
            return true;
        }

        name = string.Empty;
        displacement = 0;
        return false;
    }

    private static ElfSymbolTable? Read(ElfImage image, DebugFiles debugFiles)
    {
        // A stripped library keeps only its exports in .dynsym; an installed debug file has the rest (static
        // functions), at the same addresses. The addresses still map through the library's own segments.
        var symbols = ReadSymbols(image, ElfSection.Symtab)
            ?? DebugSymbols(image, debugFiles)
            ?? ReadSymbols(image, ElfSection.Dynsym)
            ?? [];
        return new ElfSymbolTable(symbols, image.Loads);
    }

    private static Symbol[]? DebugSymbols(ElfImage image, DebugFiles debugFiles)
    {
        var buildId = image.ReadBuildId();
        if (debugFiles.Find(buildId) is not { } path)
        {
            return null;
        }

        using var debug = ElfImage.Open(path);
        return debug is not null && debug.ReadBuildId() == buildId ? ReadSymbols(debug, ElfSection.Symtab) : null;
    }

    private static Symbol[]? ReadSymbols(ElfImage image, uint type)
    {
        var sections = image.Sections;
        foreach (var section in sections)
        {
            if (section.Type != type)
            {
                continue;
            }

            if (section.Link >= sections.Count)
            {
                return null;
            }

            var symtab = image.ReadSection(section);
            var strtab = image.ReadSection(sections[(int)section.Link]);
            if (symtab is null || strtab is null)
            {
                return null;
            }

            var symbols = Functions(symtab, strtab);
            return symbols.Length > 0 ? symbols : null;
        }

        return null;
    }

    private static Symbol[] Functions(byte[] symtab, byte[] strtab)
    {
        var found = new List<(ulong Address, ulong Size, int Rank, string Name)>();
        for (var offset = 0; offset + SymbolSize <= symtab.Length; offset += SymbolSize)
        {
            var sym = symtab.AsSpan(offset, SymbolSize);
            var kind = sym[4] & 0xF;
            var value = BinaryPrimitives.ReadUInt64LittleEndian(sym[8..]);
            var nameOffset = BinaryPrimitives.ReadUInt32LittleEndian(sym);
            var undefined = BinaryPrimitives.ReadUInt16LittleEndian(sym[6..]) == ShnUndef;

            // An undefined function may carry its PLT slot's address in an executable: not code of this file.
            if ((kind != SttFunc && kind != SttGnuIfunc) || value == 0 || undefined || nameOffset >= strtab.Length)
            {
                continue;
            }

            var name = CString(strtab, (int)nameOffset);
            if (name.Length > 0)
            {
                found.Add((value, BinaryPrimitives.ReadUInt64LittleEndian(sym[16..]), Rank(sym[4] >> 4, name), name));
            }
        }

        // One symbol per address: the best-ranked alias (a public, global name over a weak or internal one),
        // with the largest size any alias declares (some aliases are emitted without one).
        var best = found.GroupBy(f => f.Address)
            .Select(g => (Address: g.Key, Size: g.Max(f => f.Size), g.OrderBy(f => f.Rank).ThenBy(f => f.Name, StringComparer.Ordinal).First().Name))
            .OrderBy(f => f.Address)
            .ToList();
        var symbols = new Symbol[best.Count];
        for (var i = 0; i < best.Count; i++)
        {
            var next = i + 1 < best.Count ? best[i + 1].Address - best[i].Address : UnsizedReach;
            var reach = best[i].Size > 0 ? best[i].Size : Math.Min(next, UnsizedReach);
            symbols[i] = new Symbol(best[i].Address, reach, best[i].Name);
        }

        return symbols;
    }

    /// <summary>
    /// Lower is preferred: the public spelling first (fewer leading underscores: <c>pwrite64</c> over
    /// <c>__libc_pwrite</c>), then GLOBAL over WEAK over LOCAL.
    /// </summary>
    private static int Rank(int binding, string name)
    {
        var bindingRank = binding switch { StbGlobal or StbGnuUnique => 0, StbWeak => 1, _ => 2 };
        var underscores = Math.Min(name.TakeWhile(c => c == '_').Count(), 15);
        return (underscores * 4) + bindingRank;
    }

    private static string CString(byte[] table, int start)
    {
        var end = Array.IndexOf(table, (byte)0, start);
        var name = Encoding.UTF8.GetString(table, start, (end < 0 ? table.Length : end) - start);
        var version = name.IndexOf('@', StringComparison.Ordinal);
        return version > 0 ? name[..version] : name;
    }

    private readonly record struct Symbol(ulong Address, ulong Reach, string Name);
}
