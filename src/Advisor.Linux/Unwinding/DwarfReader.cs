using System.Buffers.Binary;

namespace Advisor.Linux.Unwinding;

/// <summary>
/// Reads the fields of call frame information from a span: fixed-size integers, LEB128 and DW_EH_PE pointer
/// encodings. A read past the end (or an encoding it cannot decode) yields 0 and sets <see cref="Failed"/>,
/// which stays set: callers check it once after a group of reads rather than after each.
/// </summary>
internal ref struct DwarfReader
{
    private readonly ReadOnlySpan<byte> _bytes;

    /// <param name="bytes">The whole section: positions are section offsets, so pc-relative pointers can be resolved.</param>
    /// <param name="sectionAddress">The section's link-time address (sh_addr), the base of pc-relative pointers.</param>
    public DwarfReader(ReadOnlySpan<byte> bytes, int position, int end, ulong sectionAddress, ulong dataAddress = 0)
    {
        _bytes = bytes[..Math.Clamp(end, 0, bytes.Length)];
        Position = position;
        SectionAddress = sectionAddress;
        DataAddress = dataAddress;
        Failed = position < 0 || position > _bytes.Length;
    }

    public int Position { get; set; }

    public readonly int End => _bytes.Length;

    public readonly ulong SectionAddress { get; }

    /// <summary>The base of DW_EH_PE_datarel pointers: .eh_frame_hdr's address (0 when the module has none).</summary>
    public readonly ulong DataAddress { get; }

    public bool Failed { get; private set; }

    public readonly bool AtEnd => Failed || Position >= _bytes.Length;

    public byte ReadU8() => Take(1) is { IsEmpty: false } b ? b[0] : (byte)0;

    public ushort ReadU16() => Take(2) is { IsEmpty: false } b ? BinaryPrimitives.ReadUInt16LittleEndian(b) : (ushort)0;

    public uint ReadU32() => Take(4) is { IsEmpty: false } b ? BinaryPrimitives.ReadUInt32LittleEndian(b) : 0;

    public ulong ReadU64() => Take(8) is { IsEmpty: false } b ? BinaryPrimitives.ReadUInt64LittleEndian(b) : 0;

    public ulong ReadUleb128()
    {
        ulong value = 0;
        for (var shift = 0; ; shift += 7)
        {
            var b = ReadU8();
            if (Failed)
            {
                return 0;
            }

            // Bits beyond 64 are dropped rather than rejected: the value is wrong, but only for absurd input.
            if (shift < 64)
            {
                value |= (ulong)(b & 0x7f) << shift;
            }

            if ((b & 0x80) == 0)
            {
                return value;
            }
        }
    }

    public long ReadSleb128()
    {
        long value = 0;
        var shift = 0;
        byte b;
        do
        {
            b = ReadU8();
            if (Failed)
            {
                return 0;
            }

            if (shift < 64)
            {
                value |= (long)(b & 0x7f) << shift;
            }

            shift += 7;
        }
        while ((b & 0x80) != 0);

        return shift < 64 && (b & 0x40) != 0 ? value | (-1L << shift) : value;
    }

    /// <summary>Reads a DW_EH_PE-encoded pointer, applying its pc-relative, data-relative or aligned base.</summary>
    /// <remarks>
    /// Text- and function-relative bases and indirect pointers (a load from the running process) are not
    /// available from the file: they fail. DW_EH_PE_omit (0xff) reads nothing and yields 0.
    /// </remarks>
    public ulong ReadEncoded(byte encoding)
    {
        if (encoding == DwarfPointerEncoding.Omit)
        {
            return 0;
        }

        var fieldAddress = SectionAddress + (ulong)Position;
        ulong value;
        switch (encoding & DwarfPointerEncoding.ApplicationMask)
        {
            case DwarfPointerEncoding.Absolute:
                return ReadValue(encoding);
            case DwarfPointerEncoding.PcRelative:
                value = ReadValue(encoding);
                return Failed ? 0 : unchecked(value + fieldAddress);
            case DwarfPointerEncoding.DataRelative when DataAddress != 0:
                value = ReadValue(encoding);
                return Failed ? 0 : unchecked(value + DataAddress);
            case DwarfPointerEncoding.Aligned:
                var padding = (int)((8 - (fieldAddress & 7)) & 7);
                Take(padding);
                return ReadU64();
            default:
                Failed = true;
                return 0;
        }
    }

    /// <summary>Reads the value of an encoding's format (low nibble) with no base: an FDE's pc range, an augmentation length.</summary>
    public ulong ReadValue(byte encoding)
    {
        if ((encoding & DwarfPointerEncoding.Indirect) != 0)
        {
            Failed = true;
            return 0;
        }

        switch (encoding & DwarfPointerEncoding.FormatMask)
        {
            case DwarfPointerEncoding.AbsolutePointer: return ReadU64();
            case DwarfPointerEncoding.Uleb128: return ReadUleb128();
            case DwarfPointerEncoding.Udata2: return ReadU16();
            case DwarfPointerEncoding.Udata4: return ReadU32();
            case DwarfPointerEncoding.Udata8: return ReadU64();
            case DwarfPointerEncoding.Sleb128: return (ulong)ReadSleb128();
            case DwarfPointerEncoding.Sdata2: return (ulong)(long)(short)ReadU16();
            case DwarfPointerEncoding.Sdata4: return (ulong)(long)(int)ReadU32();
            case DwarfPointerEncoding.Sdata8: return ReadU64();
            default:
                Failed = true;
                return 0;
        }
    }

    /// <summary>Reads a NUL-terminated string (an augmentation), without its terminator.</summary>
    public ReadOnlySpan<byte> ReadCString()
    {
        if (Failed)
        {
            return default;
        }

        var length = _bytes[Position..].IndexOf((byte)0);
        if (length < 0)
        {
            Failed = true;
            return default;
        }

        var text = _bytes.Slice(Position, length);
        Position += length + 1;
        return text;
    }

    /// <summary>Skips a ULEB128-sized block (a DWARF expression).</summary>
    public void SkipBlock() => Skip(ReadUleb128());

    public void Skip(ulong count) => Take(count > int.MaxValue ? int.MaxValue : (int)count);

    private ReadOnlySpan<byte> Take(int count)
    {
        if (Failed || count > _bytes.Length - Position)
        {
            Failed = true;
            return default;
        }

        var taken = _bytes.Slice(Position, count);
        Position += count;
        return taken;
    }
}
