namespace Advisor.Linux.Unwinding;

/// <summary>DW_CFA instruction opcodes (DWARF 5 §6.4.2, and the GNU extensions .eh_frame uses).</summary>
internal static class DwarfCallFrameOpcode
{
    // The three with an operand in their low six bits.
    public const int AdvanceLoc = 0x40;
    public const int Offset = 0x80;
    public const int Restore = 0xc0;

    public const byte Nop = 0x00;
    public const byte SetLoc = 0x01;
    public const byte AdvanceLoc1 = 0x02;
    public const byte AdvanceLoc2 = 0x03;
    public const byte AdvanceLoc4 = 0x04;
    public const byte OffsetExtended = 0x05;
    public const byte RestoreExtended = 0x06;
    public const byte Undefined = 0x07;
    public const byte SameValue = 0x08;
    public const byte Register = 0x09;
    public const byte RememberState = 0x0a;
    public const byte RestoreState = 0x0b;
    public const byte DefCfa = 0x0c;
    public const byte DefCfaRegister = 0x0d;
    public const byte DefCfaOffset = 0x0e;
    public const byte DefCfaExpression = 0x0f;
    public const byte Expression = 0x10;
    public const byte OffsetExtendedSf = 0x11;
    public const byte DefCfaSf = 0x12;
    public const byte DefCfaOffsetSf = 0x13;
    public const byte ValOffset = 0x14;
    public const byte ValOffsetSf = 0x15;
    public const byte ValExpression = 0x16;
    public const byte AArch64NegateRaState = 0x2d;
    public const byte GnuArgsSize = 0x2e;
    public const byte GnuNegativeOffsetExtended = 0x2f;
}
