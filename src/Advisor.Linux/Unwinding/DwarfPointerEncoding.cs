namespace Advisor.Linux.Unwinding;

/// <summary>The DW_EH_PE pointer encodings of .eh_frame: a format (low nibble) and how it applies (high bits).</summary>
internal static class DwarfPointerEncoding
{
    public const byte FormatMask = 0x0f;
    public const byte AbsolutePointer = 0x00;
    public const byte Uleb128 = 0x01;
    public const byte Udata2 = 0x02;
    public const byte Udata4 = 0x03;
    public const byte Udata8 = 0x04;
    public const byte Sleb128 = 0x09;
    public const byte Sdata2 = 0x0a;
    public const byte Sdata4 = 0x0b;
    public const byte Sdata8 = 0x0c;

    public const byte ApplicationMask = 0x70;
    public const byte Absolute = 0x00;
    public const byte PcRelative = 0x10;
    public const byte DataRelative = 0x30;
    public const byte Aligned = 0x50;

    public const byte Indirect = 0x80;
    public const byte Omit = 0xff;
}
