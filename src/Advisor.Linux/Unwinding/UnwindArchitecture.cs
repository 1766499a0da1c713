namespace Advisor.Linux.Unwinding;

/// <summary>The instruction sets whose call frame information the unwinder reads, with their DWARF register numbers.</summary>
public enum UnwindArchitecture
{
    /// <summary>x86-64: rbp is 6, rsp is 7, the return address column is 16.</summary>
    X64,

    /// <summary>AArch64: x29 (frame pointer) is 29, x30 (link register, the return address column) is 30, sp is 31.</summary>
    Arm64,
}

/// <summary>DWARF register numbers of the registers the unwinder tracks.</summary>
public static class DwarfRegisters
{
    public const int X64FramePointer = 6;
    public const int X64StackPointer = 7;
    public const int X64ReturnAddress = 16;

    public const int Arm64FramePointer = 29;
    public const int Arm64LinkRegister = 30;
    public const int Arm64StackPointer = 31;

    public static int FramePointer(UnwindArchitecture arch) => arch == UnwindArchitecture.Arm64 ? Arm64FramePointer : X64FramePointer;

    public static int StackPointer(UnwindArchitecture arch) => arch == UnwindArchitecture.Arm64 ? Arm64StackPointer : X64StackPointer;
}
