using System.Runtime.InteropServices;
using Advisor.Linux.Native;
using Advisor.Linux.Unwinding;

namespace Advisor.Linux.Ptrace;

/// <summary>
/// A stopped thread's user stack: its frame-pointer chain, as perf's user callchains walk it (the instruction
/// pointer, then each frame's return address; JIT'd and ReadyToRun .NET code keep frame pointers), and, where
/// native code keeps none, the same stack unwound from a copy of its top (<see cref="StackUnwinder"/>).
/// </summary>
/// <remarks>Reads the target's stack with process_vm_readv, a few pages a call: nothing in the target changes.</remarks>
internal sealed unsafe class ThreadStackWalker
{
    private const int PageSize = 4096;

    // A .NET call chain rarely spans more than a few pages of stack: one read takes this many.
    private const int PagesPerRead = 4;
    private const int RegisterCount = 34; // enough for x86_64's user_regs_struct (27) and arm64's user_pt_regs (34)

    private static readonly bool Arm64 = RuntimeInformation.ProcessArchitecture == Architecture.Arm64;

    // user_regs_struct: rbp 4, rip 16, rsp 19; user_pt_regs: x29, x30 (lr), sp 31, pc 32.
    private readonly int _framePointerIndex = Arm64 ? 29 : 4;
    private readonly int _stackPointerIndex = Arm64 ? 31 : 19;
    private readonly ulong[] _registers = new ulong[RegisterCount];
    private readonly byte[] _window = new byte[PageSize * PagesPerRead];
    private readonly ProcessMemory.IoVec[] _remote;
    private readonly ulong[] _frames;
    private readonly StackUnwinder? _unwinder;
    private readonly byte[] _copy;

    /// <param name="copyBytes">User stack copied to unwind native frames; 0 walks frame pointers only.</param>
    public ThreadStackWalker(int maxDepth, int copyBytes)
    {
        _frames = new ulong[maxDepth];
        _copy = new byte[copyBytes];
        _remote = new ProcessMemory.IoVec[Math.Max(PagesPerRead, copyBytes / PageSize) + 1];
        _unwinder = copyBytes > 0 ? new StackUnwinder() : null;
    }

    /// <summary>The thread's frames, innermost first; empty when its registers cannot be read.</summary>
    public ReadOnlySpan<ulong> Walk(int pid, int tid, ulong instructionPointer)
    {
        if (!TryReadRegisters(tid))
        {
            return [];
        }

        var chain = WalkFramePointers(pid, instructionPointer, _registers[_framePointerIndex]);
        if (_unwinder is null)
        {
            return chain;
        }

        var sp = _registers[_stackPointerIndex];
        var copied = Read(pid, sp, _copy);
        var registers = new UserRegisters(instructionPointer, sp, _registers[_framePointerIndex], Arm64 ? _registers[30] : 0);
        return _unwinder.Unwind(pid, registers, new CopiedStack(sp, _copy.AsSpan(0, copied)), chain);
    }

    private ReadOnlySpan<ulong> WalkFramePointers(int pid, ulong instructionPointer, ulong fp)
    {
        var count = 0;
        _frames[count++] = instructionPointer;
        var windowStart = 0UL;
        var windowLength = 0;
        while (count < _frames.Length && fp != 0 && fp % 8 == 0)
        {
            if (fp < windowStart || fp + 16 > windowStart + (ulong)windowLength)
            {
                windowStart = fp;
                windowLength = Read(pid, fp, _window);
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

    private bool TryReadRegisters(int tid)
    {
        fixed (ulong* registers = _registers)
        {
            var vector = new ProcessMemory.IoVec { Base = (nint)registers, Length = (nuint)(RegisterCount * sizeof(ulong)) };
            return PtraceNative.Call(PtraceNative.GetRegSet, tid, PtraceNative.NtPrStatus, (nint)(&vector)) == 0;
        }
    }

    /// <summary>
    /// From the address to the end of its page and the pages after, each page its own remote piece: a read that
    /// reaches past the top of the stack stops at the last mapped page instead of failing whole.
    /// </summary>
    /// <returns>The bytes read into <paramref name="into"/>.</returns>
    private int Read(int pid, ulong address, byte[] into)
    {
        var remote = address;
        var total = 0;
        var pieces = 0;
        while (total < into.Length && pieces < _remote.Length)
        {
            var length = Math.Min(PageSize - (int)(remote % PageSize), into.Length - total);
            _remote[pieces++] = new ProcessMemory.IoVec { Base = (nint)remote, Length = (nuint)length };
            remote += (ulong)length;
            total += length;
        }

        fixed (byte* local = into)
        fixed (ProcessMemory.IoVec* remotes = _remote)
        {
            var vector = new ProcessMemory.IoVec { Base = (nint)local, Length = (nuint)total };
            var read = ProcessMemory.Read(pid, &vector, 1, remotes, (ulong)pieces, 0);
            return read < 0 ? 0 : (int)read;
        }
    }
}
