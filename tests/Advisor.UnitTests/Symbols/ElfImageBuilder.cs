using System.Buffers.Binary;
using System.Text;

namespace Advisor.UnitTests.Symbols;

/// <summary>
/// Writes a minimal ELF64 little-endian x86_64 image: header, PT_LOAD program headers, and one symbol table
/// (.symtab or .dynsym) with its string table. No code or data: only what a symbol reader looks at.
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

    /// <summary>Symbols go to .dynsym (type 11) instead of .symtab (type 2).</summary>
    public bool Dynamic { get; init; }

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
        var shoff = Align8(symOffset + symtab.Length);
        var image = new byte[shoff + (3 * 64)];
        var span = image.AsSpan();

        "\u007FELF"u8.CopyTo(span);
        span[4] = 2; // ELFCLASS64
        span[5] = 1; // ELFDATA2LSB
        span[6] = 1; // EV_CURRENT
        BinaryPrimitives.WriteUInt16LittleEndian(span[16..], 3); // ET_DYN
        BinaryPrimitives.WriteUInt16LittleEndian(span[18..], 62); // EM_X86_64
        BinaryPrimitives.WriteUInt32LittleEndian(span[20..], 1);
        BinaryPrimitives.WriteUInt64LittleEndian(span[32..], (ulong)phoff);
        BinaryPrimitives.WriteUInt64LittleEndian(span[40..], (ulong)shoff);
        BinaryPrimitives.WriteUInt16LittleEndian(span[52..], 64);
        BinaryPrimitives.WriteUInt16LittleEndian(span[54..], 56);
        BinaryPrimitives.WriteUInt16LittleEndian(span[56..], (ushort)_loads.Count);
        BinaryPrimitives.WriteUInt16LittleEndian(span[58..], 64);
        BinaryPrimitives.WriteUInt16LittleEndian(span[60..], 3);

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
        BinaryPrimitives.WriteUInt32LittleEndian(symSection[4..], Dynamic ? 11u : 2u);
        BinaryPrimitives.WriteUInt64LittleEndian(symSection[24..], (ulong)symOffset);
        BinaryPrimitives.WriteUInt64LittleEndian(symSection[32..], (ulong)symtab.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(symSection[40..], 2);
        BinaryPrimitives.WriteUInt64LittleEndian(symSection[56..], 24);
        var strSection = span.Slice(shoff + 128, 64);
        BinaryPrimitives.WriteUInt32LittleEndian(strSection[4..], 3); // SHT_STRTAB
        BinaryPrimitives.WriteUInt64LittleEndian(strSection[24..], (ulong)strOffset);
        BinaryPrimitives.WriteUInt64LittleEndian(strSection[32..], (ulong)strtab.Length);
        return image;
    }

    private static int Align8(int value) => (value + 7) & ~7;
}
