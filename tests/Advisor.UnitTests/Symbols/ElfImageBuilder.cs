using System.Buffers.Binary;
using System.Text;

namespace Advisor.UnitTests.Symbols;

/// <summary>
/// Writes a minimal ELF64 little-endian image: header, PT_LOAD program headers, one symbol table (.symtab or
/// .dynsym) with its string table, and any named sections added (then with a .shstrtab). No code: only what
/// a symbol or call frame reader looks at.
/// </summary>
internal sealed class ElfImageBuilder
{
    public const byte Local = 0;
    public const byte Global = 1;
    public const byte Weak = 2;
    public const byte Func = 2;
    public const byte Object = 1;

    private readonly List<(ulong Offset, ulong VirtualAddress, ulong Size)> _loads = [];
    private readonly List<(string Name, ulong Value, ulong Size, byte Binding, byte Type, ushort Section)> _symbols = [];
    private readonly List<(string Name, uint Type, ulong Address, byte[] Bytes)> _sections = [];

    /// <summary>Symbols go to .dynsym (type 11) instead of .symtab (type 2).</summary>
    public bool Dynamic { get; init; }

    /// <summary>e_machine: 62 (x86-64) unless told, 183 for aarch64.</summary>
    public ushort Machine { get; init; } = 62;

    public ElfImageBuilder Load(ulong offset, ulong virtualAddress, ulong size)
    {
        _loads.Add((offset, virtualAddress, size));
        return this;
    }

    /// <param name="section">The defining section index; 0 is SHN_UNDEF (an imported symbol).</param>
    public ElfImageBuilder Symbol(string name, ulong value, ulong size, byte binding, byte type = Func, ushort section = 1)
    {
        _symbols.Add((name, value, size, binding, type, section));
        return this;
    }

    /// <param name="type">SHT_PROGBITS (1) unless told; SHT_NOTE is 7.</param>
    public ElfImageBuilder Section(string name, ulong address, byte[] bytes, uint type = 1)
    {
        _sections.Add((name, type, address, bytes));
        return this;
    }

    public byte[] Build()
    {
        var strtab = new MemoryStream();
        strtab.WriteByte(0);
        var symtab = new byte[(_symbols.Count + 1) * 24]; // entry 0 is the reserved null symbol
        for (var i = 0; i < _symbols.Count; i++)
        {
            var (name, value, size, binding, type, section) = _symbols[i];
            var entry = symtab.AsSpan((i + 1) * 24, 24);
            BinaryPrimitives.WriteUInt32LittleEndian(entry, (uint)strtab.Length);
            entry[4] = (byte)((binding << 4) | type);
            BinaryPrimitives.WriteUInt16LittleEndian(entry[6..], section);
            BinaryPrimitives.WriteUInt64LittleEndian(entry[8..], value);
            BinaryPrimitives.WriteUInt64LittleEndian(entry[16..], size);
            strtab.Write(Encoding.UTF8.GetBytes(name));
            strtab.WriteByte(0);
        }

        var phoff = 64;
        var strOffset = phoff + (_loads.Count * 56);
        var symOffset = Align8(strOffset + (int)strtab.Length);
        var names = new MemoryStream();
        names.WriteByte(0);
        var sectionOffsets = new List<int>();
        var next = Align8(symOffset + symtab.Length);
        foreach (var section in _sections)
        {
            sectionOffsets.Add(next);
            next = Align8(next + section.Bytes.Length);
        }

        var namesOffset = next;
        var nameOffsets = new[] { Dynamic ? ".dynsym" : ".symtab", ".strtab" }.Concat(_sections.Select(s => s.Name)).Append(".shstrtab")
            .Select(name =>
            {
                var offset = (uint)names.Length;
                names.Write(Encoding.UTF8.GetBytes(name));
                names.WriteByte(0);
                return offset;
            })
            .ToList();
        var sectionCount = _sections.Count == 0 ? 3 : 4 + _sections.Count;
        var shoff = Align8(namesOffset + (_sections.Count == 0 ? 0 : (int)names.Length));
        var image = new byte[shoff + (sectionCount * 64)];
        var span = image.AsSpan();

        "\u007FELF"u8.CopyTo(span);
        span[4] = 2; // ELFCLASS64
        span[5] = 1; // ELFDATA2LSB
        span[6] = 1; // EV_CURRENT
        BinaryPrimitives.WriteUInt16LittleEndian(span[16..], 3); // ET_DYN
        BinaryPrimitives.WriteUInt16LittleEndian(span[18..], Machine);
        BinaryPrimitives.WriteUInt32LittleEndian(span[20..], 1);
        BinaryPrimitives.WriteUInt64LittleEndian(span[32..], (ulong)phoff);
        BinaryPrimitives.WriteUInt64LittleEndian(span[40..], (ulong)shoff);
        BinaryPrimitives.WriteUInt16LittleEndian(span[52..], 64);
        BinaryPrimitives.WriteUInt16LittleEndian(span[54..], 56);
        BinaryPrimitives.WriteUInt16LittleEndian(span[56..], (ushort)_loads.Count);
        BinaryPrimitives.WriteUInt16LittleEndian(span[58..], 64);
        BinaryPrimitives.WriteUInt16LittleEndian(span[60..], (ushort)sectionCount);
        BinaryPrimitives.WriteUInt16LittleEndian(span[62..], (ushort)(_sections.Count == 0 ? 0 : sectionCount - 1));

        for (var i = 0; i < _loads.Count; i++)
        {
            var ph = span.Slice(phoff + (i * 56), 56);
            BinaryPrimitives.WriteUInt32LittleEndian(ph, 1); // PT_LOAD
            BinaryPrimitives.WriteUInt32LittleEndian(ph[4..], 5); // R+X
            BinaryPrimitives.WriteUInt64LittleEndian(ph[8..], _loads[i].Offset);
            BinaryPrimitives.WriteUInt64LittleEndian(ph[16..], _loads[i].VirtualAddress);
            BinaryPrimitives.WriteUInt64LittleEndian(ph[24..], _loads[i].VirtualAddress);
            BinaryPrimitives.WriteUInt64LittleEndian(ph[32..], _loads[i].Size);
            BinaryPrimitives.WriteUInt64LittleEndian(ph[40..], _loads[i].Size);
            BinaryPrimitives.WriteUInt64LittleEndian(ph[48..], 0x1000);
        }

        strtab.ToArray().CopyTo(span[strOffset..]);
        symtab.CopyTo(span[symOffset..]);

        // Section 0 is the null section; 1 the symbols, linked to 2, their names.
        var symSection = span.Slice(shoff + 64, 64);
        WriteSection(symSection, nameOffsets[0], Dynamic ? 11u : 2u, 0, symOffset, symtab.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(symSection[40..], 2);
        BinaryPrimitives.WriteUInt64LittleEndian(symSection[56..], 24);
        WriteSection(span.Slice(shoff + 128, 64), nameOffsets[1], 3, 0, strOffset, (int)strtab.Length); // SHT_STRTAB
        if (_sections.Count == 0)
        {
            return image;
        }

        for (var i = 0; i < _sections.Count; i++)
        {
            _sections[i].Bytes.CopyTo(span[sectionOffsets[i]..]);
            WriteSection(span.Slice(shoff + ((3 + i) * 64), 64), nameOffsets[2 + i], _sections[i].Type, _sections[i].Address, sectionOffsets[i], _sections[i].Bytes.Length);
        }

        names.ToArray().CopyTo(span[namesOffset..]);
        WriteSection(span.Slice(shoff + ((sectionCount - 1) * 64), 64), nameOffsets[^1], 3, 0, namesOffset, (int)names.Length);
        return image;
    }

    private static void WriteSection(Span<byte> header, uint name, uint type, ulong address, int offset, int size)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(header, name);
        BinaryPrimitives.WriteUInt32LittleEndian(header[4..], type);
        BinaryPrimitives.WriteUInt64LittleEndian(header[16..], address);
        BinaryPrimitives.WriteUInt64LittleEndian(header[24..], (ulong)offset);
        BinaryPrimitives.WriteUInt64LittleEndian(header[32..], (ulong)size);
    }

    private static int Align8(int value) => (value + 7) & ~7;
}
