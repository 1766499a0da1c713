using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;

namespace Advisor.Linux.Perf;

/// <summary>
/// The path an openat call was given, taken as the call is made. raw_syscalls gives only the argument's
/// address, and by the time the drain reads the target a path marshalled onto the caller's stack (.NET's
/// File APIs do so) has been overwritten: an fd closed within milliseconds — a log reopened per event, SQLite's
/// journal and directory — would stay unnamed. So a third event, <c>syscalls:sys_enter_openat</c>, fires on
/// openat only and copies the top of the user stack with the stack pointer; a path in that copy is read from
/// it. A path elsewhere (the heap: SQLite's journal name) outlives the call, and the drain reads it then.
/// </summary>
/// <remarks>Costs one extra sample per openat, of <see cref="StackBytes"/> bytes, and nothing for other calls.</remarks>
internal static class OpenPathCapture
{
    /// <summary>
    /// The user stack copied per openat: the libc wrapper, the native shim and the interop stub that holds
    /// the marshalled path (up to 256 bytes on the stack) fit well within it.
    /// </summary>
    public const uint StackBytes = 2048;

    /// <summary>sys_enter_openat's raw record: <c>const char *filename</c> at offset 24.</summary>
    private const int FilenameOffset = 24;

    private const int MaxPath = 4096;

    /// <summary>The stack pointer only: PERF_REG_X86_SP is 7, PERF_REG_ARM64_SP is 31.</summary>
    public static ulong StackPointerMask => RuntimeInformation.OSArchitecture == Architecture.Arm64 ? 1UL << 31 : 1UL << 7;

    /// <summary>
    /// Reads the path from a sample's tail, after its raw record: <c>u64 abi; u64 sp; u64 size; u8 data[size];
    /// u64 dyn_size</c> (PERF_SAMPLE_REGS_USER with one register, then PERF_SAMPLE_STACK_USER).
    /// </summary>
    /// <returns>The path, or null when it was not in the copied stack (or the record is not as expected).</returns>
    public static string? Read(ReadOnlySpan<byte> raw, ReadOnlySpan<byte> tail)
    {
        if (raw.Length < FilenameOffset + 8 || tail.Length < 16)
        {
            return null;
        }

        var filename = BinaryPrimitives.ReadUInt64LittleEndian(raw[FilenameOffset..]);
        var abi = BinaryPrimitives.ReadUInt64LittleEndian(tail);
        if (abi == 0 || tail.Length < 24)
        {
            return null; // no user registers (a kernel thread): nothing to place the path by
        }

        var sp = BinaryPrimitives.ReadUInt64LittleEndian(tail[8..]);
        var size = BinaryPrimitives.ReadUInt64LittleEndian(tail[16..]);
        if (size == 0 || size > (ulong)(tail.Length - 32))
        {
            return null;
        }

        var data = tail.Slice(24, (int)size);
        var copied = Math.Min(BinaryPrimitives.ReadUInt64LittleEndian(tail[(24 + (int)size)..]), size);
        if (filename < sp || filename - sp >= copied)
        {
            return null;
        }

        var text = data[(int)(filename - sp)..(int)copied];
        var end = text[..Math.Min(text.Length, MaxPath)].IndexOf((byte)0);
        if (end <= 0)
        {
            return null;
        }

        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(text[..end]);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
    }
}
