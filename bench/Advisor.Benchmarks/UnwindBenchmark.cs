using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Advisor.Linux.Symbols;
using Advisor.Linux.Unwinding;
using BenchmarkDotNet.Attributes;

namespace Advisor.Benchmarks;

/// <summary>
/// Unwinding one sampled stack on the drain thread (issue 16): a pwrite made by libSystem.Native's
/// SystemNative_PWrite entering libc, under <see cref="ManagedFrames"/> managed frames linked by frame pointers, as a
/// copied stack of <see cref="StackCopy.DefaultBytes"/> bytes. The native rows come from this process's own libc and
/// libSystem.Native (their .eh_frame parsed once, in the first call); the managed return addresses are in this
/// process's JIT'd code. One operation is one stack.
/// </summary>
[MemoryDiagnoser]
[WarmupCount(5)]
[IterationCount(15)]
public class UnwindBenchmark
{
    public const int ManagedFrames = 24;

    private const int FrameBytes = 96; // a managed frame: saved rbp, return address, locals
    private const ulong StackBase = 0x7ffd_0000_0000;

    private readonly byte[] _stack = new byte[StackCopy.DefaultBytes];
    private StackUnwinder _unwinder = null!;
    private UserRegisters _registers;
    private ulong[] _kernelChain = null!;
    private int _expectedFrames;

    [GlobalSetup]
    public void Setup()
    {
        if (RuntimeInformation.ProcessArchitecture != Architecture.X64)
        {
            throw new PlatformNotSupportedException("the benchmark's stack is laid out for x86-64");
        }

        var pid = Environment.ProcessId;
        var rows = new ProcessUnwindRows();
        _unwinder = new StackUnwinder(rows, UnwindArchitecture.X64);
        var pwrite = (ulong)NativeLibrary.GetExport(NativeLibrary.Load("libc.so.6"), "pwrite64");
        var shim = (ulong)NativeLibrary.GetExport(NativeLibrary.Load(Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "libSystem.Native.so")), "SystemNative_PWrite");
        var managed = ManagedReturnAddress();

        // libc's pwrite64 at its entry: CFA = rsp+8, the return address at CFA-8, rbp untouched.
        var sp = StackBase;
        Require(rows.TryFind(pid, pwrite, out var entry) && entry.Cfa is { Kind: CfaRuleKind.RegisterOffset, Register: DwarfRegisters.X64StackPointer }, "pwrite64's entry row");
        var cfa = sp + (ulong)entry.Cfa.Offset;
        var shimReturn = FirstReturnAddressWithFrameRow(rows, pid, shim);
        Write(cfa + (ulong)entry.ReturnAddress.Value, shimReturn);

        // SystemNative_PWrite after its prologue: CFA = rbp+16, rbp saved at CFA-16, the return address at CFA-8.
        rows.TryFind(pid, shimReturn - 1, out var shimRow);
        var shimCfa = cfa + 32;
        var fp = shimCfa - (ulong)shimRow.Cfa.Offset;
        var managedFp = shimCfa + 16;
        Write(shimCfa + (ulong)shimRow.ReturnAddress.Value, managed);
        Write(shimCfa + (ulong)shimRow.FramePointer.Value, managedFp);

        // Managed frames: each saved rbp links to the next, the return address beside it; the outermost links to 0.
        for (var i = 0; i < ManagedFrames; i++)
        {
            var next = i + 1 < ManagedFrames ? managedFp + FrameBytes : 0;
            Write(managedFp, next);
            Write(managedFp + 8, managed + (ulong)(i % 4));
            managedFp = next;
        }

        _registers = new UserRegisters(pwrite, sp, fp);
        _kernelChain = [pwrite, managed];
        _expectedFrames = 3 + ManagedFrames; // the instruction, the shim's return address, its managed caller's, then one per managed frame
        var frames = _unwinder.Unwind(pid, _registers, new CopiedStack(StackBase, _stack), _kernelChain).Length;
        Require(frames == _expectedFrames, $"the stack unwinds to {_expectedFrames} frames (got {frames})");
    }

    /// <summary>One stack: two native frames by their rows, then the managed frames by frame pointer.</summary>
    [Benchmark]
    public int Unwind() => _unwinder.Unwind(Environment.ProcessId, _registers, new CopiedStack(StackBase, _stack), _kernelChain).Length;

    /// <summary>A return address inside SystemNative_PWrite whose row is the frame-pointer one (CFA = rbp+16).</summary>
    private static ulong FirstReturnAddressWithFrameRow(ProcessUnwindRows rows, int pid, ulong function)
    {
        for (var offset = 1UL; offset < 256; offset++)
        {
            if (rows.TryFind(pid, function + offset - 1, out var row)
                && row.Cfa is { Kind: CfaRuleKind.RegisterOffset, Register: DwarfRegisters.X64FramePointer, Offset: 16 }
                && row.FramePointer is { Kind: RegisterRuleKind.Offset, Value: -16 }
                && row.ReturnAddress is { Kind: RegisterRuleKind.Offset, Value: -8 })
            {
                return function + offset;
            }
        }

        throw new InvalidOperationException("SystemNative_PWrite has no frame-pointer row in its first 256 bytes");
    }

    /// <summary>An address in this process's JIT'd code, where no module's rows are: a managed frame.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static ulong ManagedReturnAddress()
    {
        var method = typeof(UnwindBenchmark).GetMethod(nameof(ManagedReturnAddress), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!;
        var address = (ulong)method.MethodHandle.GetFunctionPointer() + 16;
        var mapping = ExecutableMappings.Containing(ProcMaps.Read(Environment.ProcessId), address);
        Require(mapping is not null && !mapping.HasReadableFile, "JIT'd code is in an executable mapping without a file");
        return address;
    }

    private void Write(ulong address, ulong value) => BinaryPrimitives.WriteUInt64LittleEndian(_stack.AsSpan((int)(address - StackBase)), value);

    private static void Require(bool condition, string what)
    {
        if (!condition)
        {
            throw new InvalidOperationException($"benchmark set-up: {what} is not as expected on this machine");
        }
    }
}
