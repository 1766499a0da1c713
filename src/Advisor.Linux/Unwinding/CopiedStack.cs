using System.Buffers.Binary;

namespace Advisor.Linux.Unwinding;

/// <summary>
/// The top of a thread's user stack, copied at the call: the only memory the unwinder reads. A value outside the
/// copy cannot be read, which ends the walk there (the kernel's own frame-pointer chain may continue it).
/// </summary>
public readonly ref struct CopiedStack
{
    private readonly ReadOnlySpan<byte> _bytes;

    /// <param name="start">The address of the first byte copied: the stack pointer at the call.</param>
    public CopiedStack(ulong start, ReadOnlySpan<byte> bytes)
    {
        Start = start;
        _bytes = bytes;
    }

    public ulong Start { get; }

    public int Length => _bytes.Length;

    public bool TryRead(ulong address, out ulong value)
    {
        value = 0;
        if (address < Start || address - Start > (ulong)_bytes.Length || (ulong)_bytes.Length - (address - Start) < sizeof(ulong))
        {
            return false;
        }

        value = BinaryPrimitives.ReadUInt64LittleEndian(_bytes[(int)(address - Start)..]);
        return true;
    }
}
