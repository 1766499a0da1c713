using System.Buffers.Binary;
using Advisor.Linux.Unwinding;

namespace Advisor.UnitTests.Unwinding;

/// <summary>
/// A syscall made from a libc wrapper (no frame, no frame pointer), called by a native shim that uses rbp as an
/// ordinary register after saving it, called by managed code that links its frames by rbp: the kernel's
/// frame-pointer chain stops at the wrapper; the unwinder reaches the managed frames.
/// </summary>
public class StackUnwinderTests
{
    private const ulong Sp = 0x7fff_0000_1000;
    private const ulong Wrapper = 0x1000;        // libc: CFA = rsp+8, ra at c-8
    private const ulong ShimReturn = 0x2005;     // System.Native: CFA = rsp+24, ra at c-8, rbp at c-16
    private const ulong ManagedReturn = 0x9005;  // JIT'd code: no rows
    private const ulong CallerReturn = 0xA005;
    private const ulong OuterReturn = 0xB005;

    private static readonly UnwindRow WrapperRow = new(new CfaRule(CfaRuleKind.RegisterOffset, 7, 8), new RegisterRule(RegisterRuleKind.Offset, -8), new RegisterRule(RegisterRuleKind.SameValue, 0));
    private static readonly UnwindRow ShimRow = new(new CfaRule(CfaRuleKind.RegisterOffset, 7, 24), new RegisterRule(RegisterRuleKind.Offset, -8), new RegisterRule(RegisterRuleKind.Offset, -16));

    private readonly FakeRows _rows = new();

    public StackUnwinderTests()
    {
        _rows.Add(Wrapper, 0x100, WrapperRow);
        _rows.Add(0x2000, 0x100, ShimRow);
    }

    [Fact]
    public void Native_frames_are_unwound_by_their_rows_and_managed_ones_by_their_frame_pointers()
    {
        var stack = Stack();
        var unwinder = new StackUnwinder(_rows, UnwindArchitecture.X64);

        var frames = unwinder.Unwind(1, new UserRegisters(Wrapper, Sp, Fp: 0xdead_beef), new CopiedStack(Sp, stack), [Wrapper]).ToArray();

        frames.ShouldBe([Wrapper, ShimReturn, ManagedReturn, CallerReturn, OuterReturn]);
        // The innermost frame is looked up at its instruction; callers at their call, one byte before the return.
        _rows.Asked.Take(2).ShouldBe([Wrapper, ShimReturn - 1]);
    }

    [Fact]
    public void Where_the_copy_ends_the_kernel_chain_goes_on_from_the_two_frames_both_walks_have()
    {
        var stack = Stack().AsSpan(0, 0x90).ToArray(); // the outermost managed frame's link is not in the copy
        var unwinder = new StackUnwinder(_rows, UnwindArchitecture.X64);
        ulong[] kernel = [Wrapper, ManagedReturn, CallerReturn, OuterReturn, 0xC005];

        var frames = unwinder.Unwind(1, new UserRegisters(Wrapper, Sp, 0xdead_beef), new CopiedStack(Sp, stack), kernel).ToArray();

        frames.ShouldBe([Wrapper, ShimReturn, ManagedReturn, CallerReturn, OuterReturn, 0xC005]);
    }

    [Fact]
    public void A_kernel_chain_that_never_meets_the_walk_adds_nothing()
    {
        var stack = Stack().AsSpan(0, 0x90).ToArray();
        var unwinder = new StackUnwinder(_rows, UnwindArchitecture.X64);

        var frames = unwinder.Unwind(1, new UserRegisters(Wrapper, Sp, 0xdead_beef), new CopiedStack(Sp, stack), [Wrapper, 0x5555, CallerReturn]).ToArray();

        frames.ShouldBe([Wrapper, ShimReturn, ManagedReturn, CallerReturn]);
    }

    [Fact]
    public void A_walk_that_cannot_take_one_step_keeps_the_kernel_chain()
    {
        var unwinder = new StackUnwinder(_rows, UnwindArchitecture.X64);
        ulong[] kernel = [Wrapper, 0x7777, 0x8888];

        // Nothing copied: the wrapper's return address cannot be read.
        unwinder.Unwind(1, new UserRegisters(Wrapper, Sp, 0), new CopiedStack(Sp, []), kernel).ToArray().ShouldBe(kernel);
    }

    [Fact]
    public void A_row_that_does_not_move_up_the_stack_ends_the_walk_instead_of_looping()
    {
        var rows = new FakeRows();
        rows.Add(Wrapper, 0x100, WrapperRow);
        // A corrupt row: CFA = rsp+0, the return address read from below it, the same frame forever.
        rows.Add(0x2000, 0x100, new UnwindRow(new CfaRule(CfaRuleKind.RegisterOffset, 7, 0), new RegisterRule(RegisterRuleKind.Offset, -8), default));
        var stack = new byte[64];
        BinaryPrimitives.WriteUInt64LittleEndian(stack, ShimReturn);
        var unwinder = new StackUnwinder(rows, UnwindArchitecture.X64);

        var frames = unwinder.Unwind(1, new UserRegisters(Wrapper, Sp, 0), new CopiedStack(Sp, stack), [Wrapper]).ToArray();

        frames.ShouldBe([Wrapper, ShimReturn]);
    }

    [Fact]
    public void Rules_it_cannot_evaluate_stop_the_walk_there()
    {
        var rows = new FakeRows();
        rows.Add(Wrapper, 0x100, new UnwindRow(new CfaRule(CfaRuleKind.Expression, 0, 0), default, default));
        var unwinder = new StackUnwinder(rows, UnwindArchitecture.X64);
        ulong[] kernel = [Wrapper, 0x7777];

        unwinder.Unwind(1, new UserRegisters(Wrapper, Sp, 0), new CopiedStack(Sp, Stack()), kernel).ToArray().ShouldBe(kernel);
    }

    [Fact]
    public void An_arm64_leaf_returns_through_the_link_register()
    {
        var rows = new FakeRows();
        // A leaf that saved nothing: CFA = sp+0, the return address still in x30.
        rows.Add(Wrapper, 0x100, new UnwindRow(new CfaRule(CfaRuleKind.RegisterOffset, 31, 16), new RegisterRule(RegisterRuleKind.SameValue, 0), new RegisterRule(RegisterRuleKind.SameValue, 0)));
        var stack = new byte[64];
        BinaryPrimitives.WriteUInt64LittleEndian(stack.AsSpan(32), 0);
        BinaryPrimitives.WriteUInt64LittleEndian(stack.AsSpan(40), CallerReturn);
        var unwinder = new StackUnwinder(rows, UnwindArchitecture.Arm64);

        var frames = unwinder.Unwind(1, new UserRegisters(Wrapper, Sp, Fp: Sp + 32, Lr: ManagedReturn), new CopiedStack(Sp, stack), [Wrapper]).ToArray();

        frames.ShouldBe([Wrapper, ManagedReturn, CallerReturn]);
    }

    [Fact]
    public void Unwinding_a_stack_allocates_nothing()
    {
        var stack = Stack();
        var unwinder = new StackUnwinder(_rows, UnwindArchitecture.X64);
        ulong[] kernel = [Wrapper, ManagedReturn, CallerReturn];
        var registers = new UserRegisters(Wrapper, Sp, 0xdead_beef);
        UnwindMany(unwinder, registers, stack, kernel); // warms every path

        // Passes until one allocates nothing: tiered compilation may still be promoting the code during one on a
        // loaded machine; code that allocates would allocate in every pass.
        var allocated = AllocationFree.FewestBytes(() => UnwindMany(unwinder, registers, stack, kernel));

        allocated.ShouldBe(0);
    }

    private static void UnwindMany(StackUnwinder unwinder, UserRegisters registers, byte[] stack, ulong[] kernel)
    {
        for (var i = 0; i < 1000; i++)
        {
            unwinder.Unwind(1, registers, new CopiedStack(Sp, stack), kernel);
        }
    }

    /// <summary>
    /// sp+0: the wrapper's return address into the shim; sp+16: the managed frame pointer the shim saved; sp+24: the
    /// shim's return address into managed code; sp+0x40 and sp+0x80: managed frames (saved rbp, return address).
    /// </summary>
    private static byte[] Stack()
    {
        var stack = new byte[0x100];
        Write(stack, 0x00, ShimReturn);
        Write(stack, 0x08, 0x1234); // the shim's own spill
        Write(stack, 0x10, Sp + 0x40);
        Write(stack, 0x18, ManagedReturn);
        Write(stack, 0x40, Sp + 0x88);
        Write(stack, 0x48, CallerReturn);
        Write(stack, 0x88, 0);
        Write(stack, 0x90, OuterReturn);
        return stack;
    }

    private static void Write(byte[] stack, int offset, ulong value) => BinaryPrimitives.WriteUInt64LittleEndian(stack.AsSpan(offset), value);

    private sealed class FakeRows : IUnwindRows
    {
        private readonly List<(ulong Start, ulong Length, UnwindRow Row)> _ranges = [];

        public List<ulong> Asked { get; } = new(16);

        public void Add(ulong start, ulong length, UnwindRow row) => _ranges.Add((start, length, row));

        public bool TryFind(int pid, ulong address, out UnwindRow row)
        {
            if (Asked.Count < 16)
            {
                Asked.Add(address);
            }

            foreach (var (start, length, r) in _ranges)
            {
                if (address >= start && address < start + length)
                {
                    row = r;
                    return true;
                }
            }

            row = default;
            return false;
        }
    }
}
