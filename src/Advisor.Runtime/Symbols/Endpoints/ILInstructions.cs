using System.Reflection;
using System.Reflection.Emit;
using System.Reflection.Metadata;

namespace Advisor.Runtime.Symbols.Endpoints;

/// <summary>
/// Walks a method body's IL one instruction at a time: the opcode and, for the few operands a route reader needs,
/// the operand (a token or a string's). The operand sizes come from .NET's own opcode table (<see cref="OpCodes"/>).
/// </summary>
internal ref struct ILInstructions(BlobReader il)
{
    private static readonly OperandType[] OneByte = new OperandType[256];
    private static readonly OperandType[] TwoByte = new OperandType[256];

    private BlobReader _il = il;

    static ILInstructions()
    {
        Array.Fill(OneByte, OperandType.InlineNone);
        Array.Fill(TwoByte, OperandType.InlineNone);
        foreach (var field in typeof(OpCodes).GetFields(BindingFlags.Public | BindingFlags.Static))
        {
            if (field.GetValue(null) is OpCode code)
            {
                var value = (ushort)code.Value;
                (code.Size == 1 ? OneByte : TwoByte)[value & 0xFF] = code.OperandType;
            }
        }
    }

    public ILOpCode OpCode { get; private set; }

    /// <summary>The operand of an instruction that takes a token (a method, a field, a type, a string).</summary>
    public int Token { get; private set; }

    /// <summary>The local an ldloc/stloc instruction names (its short forms included), or -1.</summary>
    public int Local { get; private set; }

    public bool MoveNext()
    {
        if (_il.RemainingBytes == 0)
        {
            return false;
        }

        int value = _il.ReadByte();
        var operand = OneByte[value];
        if (value == 0xFE && _il.RemainingBytes > 0)
        {
            var second = _il.ReadByte();
            value = 0xFE00 | second;
            operand = TwoByte[second];
        }

        OpCode = (ILOpCode)value;
        Token = 0;
        Local = LocalOf(OpCode);
        switch (operand)
        {
            case OperandType.InlineNone:
                break;
            case OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar:
                var shortOperand = _il.ReadByte();
                Local = OpCode is ILOpCode.Ldloc_s or ILOpCode.Stloc_s ? shortOperand : Local;
                break;
            case OperandType.InlineVar:
                var longOperand = _il.ReadUInt16();
                Local = OpCode is ILOpCode.Ldloc or ILOpCode.Stloc ? longOperand : Local;
                break;
            case OperandType.InlineI8 or OperandType.InlineR:
                _il.Offset += 8;
                break;
            case OperandType.InlineSwitch:
                var targets = _il.ReadInt32();
                _il.Offset += 4 * targets;
                break;
            default:
                // Tokens, 32-bit constants and branch targets alike: four bytes.
                Token = _il.ReadInt32();
                break;
        }

        return true;
    }

    private static int LocalOf(ILOpCode code) => code switch
    {
        ILOpCode.Ldloc_0 or ILOpCode.Stloc_0 => 0,
        ILOpCode.Ldloc_1 or ILOpCode.Stloc_1 => 1,
        ILOpCode.Ldloc_2 or ILOpCode.Stloc_2 => 2,
        ILOpCode.Ldloc_3 or ILOpCode.Stloc_3 => 3,
        _ => -1,
    };
}
