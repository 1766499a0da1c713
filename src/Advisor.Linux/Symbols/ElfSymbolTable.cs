using System.Buffers.Binary;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace Advisor.Linux.Symbols;

/// <summary>
/// The function symbols of an ELF64 little-endian file (x86_64, aarch64) and its loadable segments: enough
/// to name a native frame. Reads headers and the symbol sections only, never the whole file.
/// </summary>
public sealed class ElfSymbolTable
{
    private const int HeaderSize = 64;
    private const int ProgramHeaderSize = 56;
    private const int SectionHeaderSize = 64;
    private const int SymbolSize = 24;
    private const uint PtLoad = 1;
    private const uint ShtSymtab = 2;
    private const uint ShtDynsym = 11;
    private const int SttFunc = 2;
    private const int SttGnuIfunc = 10;
    private const int StbGlobal = 1;
    private const int StbWeak = 2;
    private const int StbGnuUnique = 10;
    private const ushort ShnUndef = 0;

    // Far beyond any real symbol table (libcoreclr's is ~2 MB), small enough that a corrupt size cannot hurt.
    private const long MaxSectionBytes = 64L << 20;

    /// <summary>A symbol without a size reaches to the next one, but not further than this.</summary>
    private const ulong UnsizedReach = 64 * 1024;

    private readonly Symbol[] _symbols;
    private readonly Segment[] _segments;

    private ElfSymbolTable(Symbol[] symbols, Segment[] segments)
    {
        _symbols = symbols;
        _segments = segments;
    }

    public int Count => _symbols.Length;

    /// <returns>The table, or null for anything that is not a readable ELF64 little-endian file.</returns>
    public static ElfSymbolTable? Load(string path)
    {
        try
        {
            using var file = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            return Read(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return null;
        }
    }

    /// <summary>Names the function at a file offset (as /proc/PID/maps gives: address - start + offset).</summary>
    public bool TryFindByFileOffset(ulong fileOffset, out string name, out ulong displacement)
    {
        foreach (var segment in _segments)
        {
            if (fileOffset >= segment.Offset && fileOffset - segment.Offset < segment.FileSize)
            {
                return TryFind(segment.VirtualAddress + (fileOffset - segment.Offset), out name, out displacement);
            }
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

    private static ElfSymbolTable? Read(SafeFileHandle file)
    {
        var length = RandomAccess.GetLength(file);
        Span<byte> header = stackalloc byte[HeaderSize];
        if (length < HeaderSize || RandomAccess.Read(file, header, 0) != HeaderSize
            || !header[..4].SequenceEqual("\u007FELF"u8)
            || header[4] != 2 || header[5] != 1)
        {
            return null;
        }

        var phoff = BinaryPrimitives.ReadUInt64LittleEndian(header[32..]);
        var shoff = BinaryPrimitives.ReadUInt64LittleEndian(header[40..]);
        var phnum = BinaryPrimitives.ReadUInt16LittleEndian(header[56..]);
        var shnum = BinaryPrimitives.ReadUInt16LittleEndian(header[60..]);

        // Entry sizes other than the ELF64 ones mean a corrupt (or not ELF64) file: the tables cannot be walked.
        if ((phnum > 0 && BinaryPrimitives.ReadUInt16LittleEndian(header[54..]) != ProgramHeaderSize)
            || (shnum > 0 && BinaryPrimitives.ReadUInt16LittleEndian(header[58..]) != SectionHeaderSize))
        {
            return null;
        }

        var segments = ReadSegments(file, length, phoff, phnum);
        var sections = ReadBlock(file, length, shoff, (long)shnum * SectionHeaderSize);
        if (segments is null || sections is null)
        {
            return null;
        }

        var symbols = ReadSymbols(file, length, sections, shnum, ShtSymtab) ?? ReadSymbols(file, length, sections, shnum, ShtDynsym) ?? [];
        return new ElfSymbolTable(symbols, segments);
    }

    private static Segment[]? ReadSegments(SafeFileHandle file, long length, ulong phoff, int phnum)
    {
        var table = ReadBlock(file, length, phoff, (long)phnum * ProgramHeaderSize);
        if (table is null)
        {
            return null;
        }

        var segments = new List<Segment>();
        for (var i = 0; i < phnum; i++)
        {
            var ph = table.AsSpan(i * ProgramHeaderSize, ProgramHeaderSize);
            if (BinaryPrimitives.ReadUInt32LittleEndian(ph) == PtLoad)
            {
                segments.Add(new Segment(
                    BinaryPrimitives.ReadUInt64LittleEndian(ph[8..]),
                    BinaryPrimitives.ReadUInt64LittleEndian(ph[16..]),
                    BinaryPrimitives.ReadUInt64LittleEndian(ph[32..])));
            }
        }

        return [.. segments];
    }

    private static Symbol[]? ReadSymbols(SafeFileHandle file, long length, byte[] sections, int count, uint type)
    {
        for (var i = 0; i < count; i++)
        {
            var sh = sections.AsSpan(i * SectionHeaderSize, SectionHeaderSize);
            if (BinaryPrimitives.ReadUInt32LittleEndian(sh[4..]) != type)
            {
                continue;
            }

            var link = BinaryPrimitives.ReadUInt32LittleEndian(sh[40..]);
            if (link >= count)
            {
                return null;
            }

            var strings = sections.AsSpan((int)link * SectionHeaderSize, SectionHeaderSize);
            var symtab = ReadBlock(file, length, BinaryPrimitives.ReadUInt64LittleEndian(sh[24..]), (long)BinaryPrimitives.ReadUInt64LittleEndian(sh[32..]));
            var strtab = ReadBlock(file, length, BinaryPrimitives.ReadUInt64LittleEndian(strings[24..]), (long)BinaryPrimitives.ReadUInt64LittleEndian(strings[32..]));
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

    private static byte[]? ReadBlock(SafeFileHandle file, long length, ulong offset, long size)
    {
        if (size <= 0 || size > MaxSectionBytes || offset > (ulong)length || (long)offset + size > length)
        {
            return size == 0 ? [] : null;
        }

        var block = new byte[size];
        return RandomAccess.Read(file, block, (long)offset) == size ? block : null;
    }

    private readonly record struct Symbol(ulong Address, ulong Reach, string Name);

    private readonly record struct Segment(ulong Offset, ulong VirtualAddress, ulong FileSize);
}
