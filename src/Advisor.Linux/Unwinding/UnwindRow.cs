namespace Advisor.Linux.Unwinding;

/// <summary>How a frame's canonical frame address (CFA: the caller's stack pointer before the call) is computed.</summary>
public enum CfaRuleKind : byte
{
    /// <summary>No rule: the address has no unwind information, or a rule this unwinder does not evaluate.</summary>
    Undefined = 0,

    /// <summary>CFA = register + offset (<c>DW_CFA_def_cfa</c> and its variants): nearly every row.</summary>
    RegisterOffset,

    /// <summary>CFA = a DWARF expression (<c>DW_CFA_def_cfa_expression</c>: PLT stubs, signal trampolines). Not evaluated.</summary>
    Expression,
}

/// <summary>The CFA rule of a row: <see cref="Register"/> (DWARF number) + <see cref="Offset"/> when <see cref="Kind"/> is <see cref="CfaRuleKind.RegisterOffset"/>.</summary>
public readonly record struct CfaRule(CfaRuleKind Kind, int Register, long Offset);

/// <summary>How a register of the caller is recovered (DWARF CFA register rules).</summary>
public enum RegisterRuleKind : byte
{
    /// <summary>The register's value in the caller cannot be recovered (the outermost frame's return address).</summary>
    Undefined = 0,

    /// <summary>The caller's value is the callee's: the register was not changed (the initial rule of callee-saved registers).</summary>
    SameValue,

    /// <summary>Saved in memory at CFA + <see cref="RegisterRule.Value"/> (<c>DW_CFA_offset</c>: readelf prints <c>c-8</c>).</summary>
    Offset,

    /// <summary>The value is CFA + <see cref="RegisterRule.Value"/> itself, not memory (<c>DW_CFA_val_offset</c>).</summary>
    ValueOffset,

    /// <summary>Held in the register numbered <see cref="RegisterRule.Value"/> (<c>DW_CFA_register</c>).</summary>
    Register,

    /// <summary>A DWARF expression (<c>DW_CFA_expression</c>, <c>DW_CFA_val_expression</c>). Not evaluated.</summary>
    Expression,
}

/// <summary>One register rule of a row.</summary>
public readonly record struct RegisterRule(RegisterRuleKind Kind, long Value);

/// <summary>
/// What the unwinder needs of one row of a function's call frame information at one address: where the frame's
/// CFA is, and how to recover the return address and the caller's frame pointer from it.
/// </summary>
/// <param name="ReturnAddress">The rule of the CIE's return address column (x86-64: 16; arm64: x30).</param>
/// <param name="FramePointer">The rule of the frame pointer register (x86-64: rbp, 6; arm64: x29).</param>
public readonly record struct UnwindRow(CfaRule Cfa, RegisterRule ReturnAddress, RegisterRule FramePointer)
{
    /// <summary>
    /// The CIE says 'S': a signal trampoline, whose "return address" is the interrupted instruction itself, not
    /// the one after a call (the caller's row is looked up at it, not at it - 1).
    /// </summary>
    public bool IsSignalFrame { get; init; }
}
