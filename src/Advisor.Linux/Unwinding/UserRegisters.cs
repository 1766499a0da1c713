namespace Advisor.Linux.Unwinding;

/// <summary>
/// The user registers a stack is unwound from, as the thread had them when it entered the kernel.
/// </summary>
/// <param name="Ip">The instruction pointer (x86-64 rip, arm64 pc).</param>
/// <param name="Sp">The stack pointer: the copied stack starts here.</param>
/// <param name="Fp">The frame pointer (rbp, x29), which native code without frame pointers uses as any other register.</param>
/// <param name="Lr">arm64's link register (x30), where a leaf function's return address still is; 0 on x86-64.</param>
public readonly record struct UserRegisters(ulong Ip, ulong Sp, ulong Fp, ulong Lr = 0);
