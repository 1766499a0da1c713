using System.Runtime.CompilerServices;

namespace Advisor.Linux.Unwinding;

/// <summary>The rules of the registers the unwinder tracks, as the interpreter updates them row by row.</summary>
internal struct FrameRules
{
    public CfaRule Cfa;
    public RegisterRule ReturnAddress;
    public RegisterRule FramePointer;
}

/// <summary>The DW_CFA_remember_state stack: fixed-size, so interpreting never allocates.</summary>
[InlineArray(CallFrameInterpreter.MaxRememberedStates)]
internal struct RememberedRules
{
    private FrameRules _element;
}
