using System.Runtime.InteropServices;
using Advisor.Core.Stacks;

namespace Advisor.Linux.Unwinding;

/// <summary>
/// Walks a sampled user stack through native code that keeps no frame pointer (libc, System.Native, SQLite) to
/// the managed code that called it: each native frame by its module's <c>.eh_frame</c> rules, each other frame
/// (JIT'd and ReadyToRun code, which keep frame pointers) by its frame pointer, reading only the copied stack.
/// Where the copy ends, the kernel's frame-pointer chain of the same call goes on, once the two agree on a frame.
/// </summary>
/// <remarks>
/// Allocation-free: frames are written into the caller's span. Every step must move up the stack, and the walk
/// stops at anything it cannot read or evaluate, so a corrupt stack gives a short stack, never a loop or a fault.
/// One instance per drain thread (not thread-safe through its <see cref="IUnwindRows"/>).
/// </remarks>
public sealed class StackUnwinder
{
    private readonly IUnwindRows _rows;
    private readonly int _stackPointer;
    private readonly int _framePointer;
    private readonly bool _linkRegister;
    private readonly ulong[] _frames = new ulong[StackTable.MaxDepth];

    /// <param name="rows">Where rows come from; by default the traced processes' own modules.</param>
    public StackUnwinder(IUnwindRows? rows = null, UnwindArchitecture? architecture = null)
    {
        _rows = rows ?? new ProcessUnwindRows();
        Architecture = architecture ?? HostArchitecture;
        _stackPointer = DwarfRegisters.StackPointer(Architecture);
        _framePointer = DwarfRegisters.FramePointer(Architecture);
        _linkRegister = Architecture == UnwindArchitecture.Arm64;
    }

    /// <summary>Unwinds into the instance's own buffer, valid until the next call.</summary>
    public ReadOnlySpan<ulong> Unwind(int pid, UserRegisters registers, CopiedStack stack, ReadOnlySpan<ulong> kernelChain) =>
        _frames.AsSpan(0, Unwind(pid, registers, stack, kernelChain, _frames));

    public UnwindArchitecture Architecture { get; }

    public static UnwindArchitecture HostArchitecture =>
        RuntimeInformation.ProcessArchitecture == System.Runtime.InteropServices.Architecture.Arm64 ? UnwindArchitecture.Arm64 : UnwindArchitecture.X64;

    /// <param name="kernelChain">The call's frame-pointer chain as the kernel walked it, innermost first (may be empty).</param>
    /// <param name="frames">Receives the instruction pointer, then each caller's return address.</param>
    /// <returns>How many frames were written.</returns>
    public int Unwind(int pid, UserRegisters registers, CopiedStack stack, ReadOnlySpan<ulong> kernelChain, Span<ulong> frames)
    {
        if (frames.IsEmpty || registers.Ip == 0)
        {
            return CopyChain(kernelChain, frames);
        }

        var walked = Walk(pid, registers, stack, frames);
        return walked <= 1 ? CopyChain(kernelChain, frames) : walked + Splice(frames[..walked], kernelChain, frames[walked..]);
    }

    /// <summary>Unwinds within the copy; returns the frames written (the first is the instruction pointer).</summary>
    private int Walk(int pid, UserRegisters registers, CopiedStack stack, Span<ulong> frames)
    {
        var ip = registers.Ip;
        var sp = registers.Sp;
        var fp = registers.Fp;
        var lr = registers.Lr;
        var count = 0;
        frames[count++] = ip;
        while (count < frames.Length)
        {
            ulong returnAddress;
            ulong callerSp;
            ulong callerFp;

            // A return address is the instruction after a call: the call itself, one byte earlier, is in the
            // caller's row (a call can be the last instruction of a function that does not return).
            if (_rows.TryFind(pid, count == 1 ? ip : ip - 1, out var row))
            {
                if (!TryCfa(row.Cfa, sp, fp, out var cfa)
                    || !TryRecover(row.ReturnAddress, cfa, stack, lr, out returnAddress)
                    || !TryRecover(row.FramePointer, cfa, stack, fp, out callerFp))
                {
                    break;
                }

                callerSp = cfa;
            }
            else
            {
                // Managed code, or a module without tables: its frame pointer links to the caller's frame.
                if (fp < sp || !stack.TryRead(fp, out callerFp) || !stack.TryRead(fp + 8, out returnAddress))
                {
                    break;
                }

                callerSp = fp + 16;
            }

            // Callers live higher on the stack; a return address of 0 ends the chain (the thread's start).
            if (returnAddress == 0 || callerSp <= sp)
            {
                break;
            }

            frames[count++] = returnAddress;
            ip = returnAddress;
            sp = callerSp;
            fp = callerFp;
            lr = 0;
        }

        return count;
    }

    private bool TryCfa(CfaRule rule, ulong sp, ulong fp, out ulong cfa)
    {
        cfa = 0;
        if (rule.Kind != CfaRuleKind.RegisterOffset)
        {
            return false;
        }

        if (rule.Register == _stackPointer)
        {
            cfa = sp + (ulong)rule.Offset;
        }
        else if (rule.Register == _framePointer)
        {
            cfa = fp + (ulong)rule.Offset;
        }
        else
        {
            return false;
        }

        return true;
    }

    /// <param name="current">The register's value in the frame being unwound (the link register for the return address).</param>
    private bool TryRecover(RegisterRule rule, ulong cfa, CopiedStack stack, ulong current, out ulong value)
    {
        switch (rule.Kind)
        {
            case RegisterRuleKind.Offset:
                return stack.TryRead(cfa + (ulong)rule.Value, out value);
            case RegisterRuleKind.ValueOffset:
                value = cfa + (ulong)rule.Value;
                return true;
            case RegisterRuleKind.SameValue:
                // Only the innermost arm64 frame has its return address still in the link register.
                value = current;
                return current != 0 || !_linkRegister;
            case RegisterRuleKind.Undefined:
                // The outermost frame: no caller (a return address of 0 ends the walk).
                value = 0;
                return true;
            default:
                value = 0;
                return false;
        }
    }

    /// <summary>
    /// Continues the walk with the kernel's chain from the frame after the last two the walk ended with, when the
    /// chain has them in a row: both are frame-pointer walks of the same stack from there on.
    /// </summary>
    private static int Splice(ReadOnlySpan<ulong> walked, ReadOnlySpan<ulong> kernelChain, Span<ulong> rest)
    {
        var last = walked[^1];
        var before = walked[^2];
        for (var i = 1; i < kernelChain.Length; i++)
        {
            if (kernelChain[i] == last && kernelChain[i - 1] == before)
            {
                var tail = kernelChain[(i + 1)..];
                var n = Math.Min(tail.Length, rest.Length);
                tail[..n].CopyTo(rest);
                return n;
            }
        }

        return 0;
    }

    private static int CopyChain(ReadOnlySpan<ulong> chain, Span<ulong> frames)
    {
        var n = Math.Min(chain.Length, frames.Length);
        chain[..n].CopyTo(frames);
        return n;
    }
}
