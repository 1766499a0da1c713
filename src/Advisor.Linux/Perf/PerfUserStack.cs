using System.Buffers.Binary;
using Advisor.Linux.Unwinding;

namespace Advisor.Linux.Perf;

/// <summary>
/// The registers and the copy of the user stack a stack-walking sample carries after its raw record
/// (PERF_SAMPLE_REGS_USER, then PERF_SAMPLE_STACK_USER), for <see cref="StackUnwinder"/>: the frame-pointer
/// callchain alone stops at native code that keeps no frame pointer.
/// </summary>
internal static class PerfUserStack
{
    // PERF_REG_X86_BP, SP, IP; PERF_REG_ARM64_X29, LR, SP, PC. The kernel writes the registers in bit order.
    private const ulong X64Mask = (1UL << 6) | (1UL << 7) | (1UL << 8);
    private const ulong Arm64Mask = (1UL << 29) | (1UL << 30) | (1UL << 31) | (1UL << 32);

    public static ulong RegisterMask(UnwindArchitecture architecture) => architecture == UnwindArchitecture.Arm64 ? Arm64Mask : X64Mask;

    /// <summary>
    /// Reads <c>u64 abi; u64 regs[n]; u64 size; u8 data[size]; u64 dyn_size</c>.
    /// </summary>
    /// <param name="stack">The bytes the kernel could copy from the stack pointer up (dyn_size of them).</param>
    /// <returns>False for a sample without user registers (a kernel thread) or not laid out as expected.</returns>
    public static bool TryRead(ReadOnlySpan<byte> tail, UnwindArchitecture architecture, out UserRegisters registers, out ReadOnlySpan<byte> stack)
    {
        registers = default;
        stack = default;
        var count = architecture == UnwindArchitecture.Arm64 ? 4 : 3;
        var sizeAt = 8 + (count * 8);
        if (tail.Length < sizeAt + 8 || BinaryPrimitives.ReadUInt64LittleEndian(tail) == 0)
        {
            return false;
        }

        var regs = tail[8..sizeAt];
        registers = architecture == UnwindArchitecture.Arm64
            ? new UserRegisters(Ip: Read(regs, 3), Sp: Read(regs, 2), Fp: Read(regs, 0), Lr: Read(regs, 1))
            : new UserRegisters(Ip: Read(regs, 2), Sp: Read(regs, 1), Fp: Read(regs, 0));
        var size = BinaryPrimitives.ReadUInt64LittleEndian(tail[sizeAt..]);
        var data = tail[(sizeAt + 8)..];
        if (size == 0 || size > (ulong)(data.Length - 8))
        {
            return size == 0;
        }

        var copied = Math.Min(BinaryPrimitives.ReadUInt64LittleEndian(data[(int)size..]), size);
        stack = data[..(int)copied];
        return true;
    }

    private static ulong Read(ReadOnlySpan<byte> regs, int index) => BinaryPrimitives.ReadUInt64LittleEndian(regs[(index * 8)..]);
}
