namespace Advisor.Linux.Unwinding;

/// <summary>
/// Runs DWARF call frame instructions (a CIE's initial instructions, then an FDE's) up to one address, tracking
/// only the CFA, the return address column and the frame pointer. Allocation-free: the state lives on the stack.
/// </summary>
internal ref struct CallFrameInterpreter
{
    /// <summary>Deeper nesting than compilers emit (they remember once around an epilogue); deeper is malformed.</summary>
    public const int MaxRememberedStates = 16;

    private readonly CommonInformationEntry _cie;
    private readonly ulong _target;
    private readonly ulong _framePointer;
    private FrameRules _rules;
    private FrameRules _initial;
    private RememberedRules _remembered;
    private int _depth;
    private ulong _location;

    private CallFrameInterpreter(CommonInformationEntry cie, ulong pcBegin, ulong target, int framePointer)
    {
        _cie = cie;
        _target = target;
        _framePointer = (ulong)framePointer;
        _location = pcBegin;

        // Unmentioned registers keep their values: the frame pointer is callee-saved, and an arm64 leaf's return
        // address is still in x30. (An x86-64 CIE always says where its return address is.)
        _rules.ReturnAddress = new RegisterRule(RegisterRuleKind.SameValue, 0);
        _rules.FramePointer = new RegisterRule(RegisterRuleKind.SameValue, 0);
    }

    private enum Outcome
    {
        /// <summary>The instructions ended, or the next row starts past the target: the current row is the answer.</summary>
        Done,

        /// <summary>An unknown opcode or a malformed operand: no row can be trusted.</summary>
        Invalid,
    }

    /// <returns>The row in force at <paramref name="address"/> within the FDE.</returns>
    public static UnwindRow Evaluate(
        ReadOnlySpan<byte> section, ulong sectionAddress, ulong dataAddress, CommonInformationEntry cie, FrameDescriptionEntry fde, ulong address, UnwindArchitecture architecture)
    {
        var interpreter = new CallFrameInterpreter(cie, fde.PcBegin, address, DwarfRegisters.FramePointer(architecture));
        var initial = new DwarfReader(section, cie.InstructionsStart, cie.InstructionsEnd, sectionAddress, dataAddress);
        var valid = interpreter.Run(ref initial) == Outcome.Done;

        // DW_CFA_restore returns a register to its rule after the CIE's instructions, and the FDE starts from there.
        interpreter._initial = interpreter._rules;
        interpreter._location = fde.PcBegin;
        var instructions = new DwarfReader(section, fde.InstructionsStart, fde.InstructionsEnd, sectionAddress, dataAddress);
        valid = valid && interpreter.Run(ref instructions) == Outcome.Done;

        var rules = interpreter._rules;
        return new UnwindRow(valid ? rules.Cfa : default, rules.ReturnAddress, rules.FramePointer) { IsSignalFrame = cie.IsSignalFrame };
    }

    private Outcome Run(ref DwarfReader reader)
    {
        // Every instruction consumes at least one byte: the loop ends with the block.
        while (!reader.AtEnd)
        {
            var opcode = reader.ReadU8();
            var low = (ulong)(opcode & 0x3f);
            var outcome = (opcode & 0xc0) switch
            {
                DwarfCallFrameOpcode.AdvanceLoc => AdvanceTo(_location + (low * _cie.CodeAlignment)),
                DwarfCallFrameOpcode.Offset => Set(low, RegisterRuleKind.Offset, (long)reader.ReadUleb128() * _cie.DataAlignment),
                DwarfCallFrameOpcode.Restore => Restore(low),
                _ => RunExtended(opcode, ref reader),
            };

            if (reader.Failed)
            {
                return Outcome.Invalid;
            }

            if (outcome is { } stop)
            {
                return stop;
            }
        }

        return reader.Failed ? Outcome.Invalid : Outcome.Done;
    }

    /// <returns>Null to go on, or how interpretation stops.</returns>
    private Outcome? RunExtended(byte opcode, ref DwarfReader reader)
    {
        switch (opcode)
        {
            case DwarfCallFrameOpcode.Nop:
            case DwarfCallFrameOpcode.AArch64NegateRaState: // pointer authentication: the unwinder strips PAC bits itself
                return null;
            case DwarfCallFrameOpcode.SetLoc:
                return AdvanceTo(reader.ReadEncoded(_cie.PointerEncoding));
            case DwarfCallFrameOpcode.AdvanceLoc1:
                return AdvanceTo(_location + (reader.ReadU8() * _cie.CodeAlignment));
            case DwarfCallFrameOpcode.AdvanceLoc2:
                return AdvanceTo(_location + (reader.ReadU16() * _cie.CodeAlignment));
            case DwarfCallFrameOpcode.AdvanceLoc4:
                return AdvanceTo(_location + (reader.ReadU32() * _cie.CodeAlignment));
            case DwarfCallFrameOpcode.OffsetExtended:
                return Set(reader.ReadUleb128(), RegisterRuleKind.Offset, (long)reader.ReadUleb128() * _cie.DataAlignment);
            case DwarfCallFrameOpcode.OffsetExtendedSf:
                return Set(reader.ReadUleb128(), RegisterRuleKind.Offset, reader.ReadSleb128() * _cie.DataAlignment);
            case DwarfCallFrameOpcode.GnuNegativeOffsetExtended:
                return Set(reader.ReadUleb128(), RegisterRuleKind.Offset, -((long)reader.ReadUleb128() * _cie.DataAlignment));
            case DwarfCallFrameOpcode.ValOffset:
                return Set(reader.ReadUleb128(), RegisterRuleKind.ValueOffset, (long)reader.ReadUleb128() * _cie.DataAlignment);
            case DwarfCallFrameOpcode.ValOffsetSf:
                return Set(reader.ReadUleb128(), RegisterRuleKind.ValueOffset, reader.ReadSleb128() * _cie.DataAlignment);
            case DwarfCallFrameOpcode.RestoreExtended:
                return Restore(reader.ReadUleb128());
            case DwarfCallFrameOpcode.Undefined:
                return Set(reader.ReadUleb128(), RegisterRuleKind.Undefined, 0);
            case DwarfCallFrameOpcode.SameValue:
                return Set(reader.ReadUleb128(), RegisterRuleKind.SameValue, 0);
            case DwarfCallFrameOpcode.Register:
                return Set(reader.ReadUleb128(), RegisterRuleKind.Register, (long)reader.ReadUleb128());
            case DwarfCallFrameOpcode.Expression:
            case DwarfCallFrameOpcode.ValExpression:
                var register = reader.ReadUleb128();
                reader.SkipBlock();
                return Set(register, RegisterRuleKind.Expression, 0);
            case DwarfCallFrameOpcode.RememberState:
                if (_depth == MaxRememberedStates)
                {
                    return Outcome.Invalid;
                }

                _remembered[_depth++] = _rules;
                return null;
            case DwarfCallFrameOpcode.RestoreState:
                if (_depth == 0)
                {
                    return Outcome.Invalid;
                }

                _rules = _remembered[--_depth];
                return null;
            case DwarfCallFrameOpcode.DefCfa:
                return DefineCfa(reader.ReadUleb128(), (long)reader.ReadUleb128());
            case DwarfCallFrameOpcode.DefCfaSf:
                return DefineCfa(reader.ReadUleb128(), reader.ReadSleb128() * _cie.DataAlignment);
            case DwarfCallFrameOpcode.DefCfaRegister:
                return DefineCfa(reader.ReadUleb128(), _rules.Cfa.Offset);
            case DwarfCallFrameOpcode.DefCfaOffset:
                _rules.Cfa = _rules.Cfa with { Offset = (long)reader.ReadUleb128() };
                return null;
            case DwarfCallFrameOpcode.DefCfaOffsetSf:
                _rules.Cfa = _rules.Cfa with { Offset = reader.ReadSleb128() * _cie.DataAlignment };
                return null;
            case DwarfCallFrameOpcode.DefCfaExpression:
                reader.SkipBlock();
                _rules.Cfa = new CfaRule(CfaRuleKind.Expression, 0, 0);
                return null;
            case DwarfCallFrameOpcode.GnuArgsSize:
                reader.ReadUleb128();
                return null;
            default:
                return Outcome.Invalid;
        }
    }

    private Outcome? AdvanceTo(ulong location)
    {
        if (location > _target)
        {
            return Outcome.Done;
        }

        _location = location;
        return null;
    }

    private Outcome? DefineCfa(ulong register, long offset)
    {
        if (register > int.MaxValue)
        {
            return Outcome.Invalid;
        }

        _rules.Cfa = new CfaRule(CfaRuleKind.RegisterOffset, (int)register, offset);
        return null;
    }

    private Outcome? Set(ulong register, RegisterRuleKind kind, long value) => Set(register, new RegisterRule(kind, value));

    private Outcome? Restore(ulong register) =>
        Set(register, register == (ulong)_cie.ReturnAddressRegister ? _initial.ReturnAddress : _initial.FramePointer);

    private Outcome? Set(ulong register, RegisterRule rule)
    {
        // Rules of other registers are read past: the unwinder recovers only these two.
        if (register == (ulong)_cie.ReturnAddressRegister)
        {
            _rules.ReturnAddress = rule;
        }
        else if (register == _framePointer)
        {
            _rules.FramePointer = rule;
        }

        return null;
    }
}
