using System.Runtime.InteropServices;

namespace Advisor.Linux.Ptrace;

/// <summary>
/// A stopped thread's user stack, by its frame-pointer chain, as perf's user callchains walk it: the
/// instruction pointer, then each frame's return address. JIT'd and ReadyToRun .NET code keep frame pointers.
/// </summary>
/// <remarks>Reads the target's stack with process_vm_readv, a few pages a call: nothing in the target changes.</remarks>
internal sealed unsafe class FramePointerWalker
{
    private const int PageSize = 4096;

    // A .NET call chain rarely spans more than a few pages of stack: one read takes this many.
    private const int PagesPerRead = 4;
    private const int RegisterCount = 34; // enough for x86_64's user_regs_struct (27) and arm64's user_pt_regs (34)

    private readonly int _framePointerIndex = RuntimeInformation.ProcessArchitecture == Architecture.Arm64 ? 29 : 4; // x29, rbp
    private readonly ulong[] _registers = new ulong[RegisterCount];
    private readonly byte[] _window = new byte[PageSize * PagesPerRead];
    private readonly PtraceNative.IoVec[] _remote = new PtraceNative.IoVec[PagesPerRead];
    private readonly ulong[] _frames;

    public FramePointerWalker(int maxDepth) => _frames = new ulong[maxDepth];

    /// <summary>The thread's frames, innermost first; empty when its registers cannot be read.</summary>
    public ReadOnlySpan<ulong> Walk(int pid, int tid, ulong instructionPointer)
    {
        if (!TryReadFramePointer(tid, out var fp))
        {
            return [];
        }

        var count = 0;
        _frames[count++] = instructionPointer;
        var windowStart = 0UL;
        var windowLength = 0;
        while (count < _frames.Length && fp != 0 && fp % 8 == 0)
        {
            if (fp < windowStart || fp + 16 > windowStart + (ulong)windowLength)
            {
                windowStart = fp;
                windowLength = ReadFrom(pid, fp);
                if (windowLength < 16)
                {
                    break;
                }
            }

            var offset = (int)(fp - windowStart);
            var next = BitConverter.ToUInt64(_window, offset);
            var returnAddress = BitConverter.ToUInt64(_window, offset + 8);
            if (returnAddress == 0)
            {
                break;
            }

            _frames[count++] = returnAddress;
            if (next <= fp)
            {
                break; // callers live higher on the stack: anything else is not a frame chain
            }

            fp = next;
        }

        return _frames.AsSpan(0, count);
    }

    private bool TryReadFramePointer(int tid, out ulong fp)
    {
        fixed (ulong* registers = _registers)
        {
            var vector = new PtraceNative.IoVec { Base = (nint)registers, Length = (nuint)(RegisterCount * sizeof(ulong)) };
            var ok = PtraceNative.Call(PtraceNative.GetRegSet, tid, PtraceNative.NtPrStatus, (nint)(&vector)) == 0;
            fp = ok ? registers[_framePointerIndex] : 0;
            return ok;
        }
    }

    /// <summary>
    /// From the address to the end of its page and a few pages beyond, each page its own remote piece: a read
    /// that reaches past the top of the stack stops at the last mapped page instead of failing whole.
    /// </summary>
    private int ReadFrom(int pid, ulong address)
    {
        var first = PageSize - (int)(address % PageSize);
        var remote = address;
        var total = 0;
        for (var i = 0; i < PagesPerRead; i++)
        {
            var length = i == 0 ? first : PageSize;
            _remote[i] = new PtraceNative.IoVec { Base = (nint)remote, Length = (nuint)length };
            remote += (ulong)length;
            total += length;
        }

        fixed (byte* window = _window)
        fixed (PtraceNative.IoVec* remotes = _remote)
        {
            var local = new PtraceNative.IoVec { Base = (nint)window, Length = (nuint)total };
            var read = PtraceNative.ReadMemory(pid, &local, 1, remotes, PagesPerRead, 0);
            return read < 0 ? 0 : (int)read;
        }
    }
}
