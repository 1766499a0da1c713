using System.Runtime.InteropServices;
using Advisor.Linux.Symbols;
using Advisor.Linux.Unwinding;
using Advisor.UnitTests.Symbols;

namespace Advisor.UnitTests.Unwinding;

public sealed class CallFrameTableTests : IDisposable
{
    private const ulong EhFrameAddress = 0x202000;

    // The x86-64 CIE's initial instructions: CFA = rsp + 8, return address at CFA - 8.
    private static readonly byte[] X64Initial = [0x0c, 7, 8, 0x90, 1];

    private static readonly UnwindRow Entry = Row(Cfa(7, 8), Saved(-8), Same);

    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("advisor-cfi-");

    private static RegisterRule Same => new(RegisterRuleKind.SameValue, 0);

    public void Dispose() => _dir.Delete(recursive: true);

    [Fact]
    public void A_prologue_and_an_epilogue_with_remembered_state_give_each_address_its_row()
    {
        var frames = new EhFrameBuilder(EhFrameAddress);
        var cie = frames.Cie(X64Initial);
        frames.Fde(cie, 0x201000, 0x40, [
            0x41, // advance 1
            0x0e, 16, // def_cfa_offset 16: push rbp
            0x86, 2, // offset rbp at CFA - 16
            0x43, // advance 3
            0x0d, 6, // def_cfa_register rbp: mov rbp, rsp
            0x02, 0x20, // advance_loc1 32: to the epilogue
            0x0a, // remember_state
            0x0c, 7, 8, // def_cfa rsp + 8: pop rbp
            0xc6, // restore rbp
            0x41, // advance 1: code after the ret still has the body's frame
            0x0b, // restore_state
        ]);
        var table = Load(frames);

        Find(table, 0x201000).ShouldBe(Entry);
        Find(table, 0x201001).ShouldBe(Row(Cfa(7, 16), Saved(-8), Saved(-16)));
        Find(table, 0x201003).ShouldBe(Row(Cfa(7, 16), Saved(-8), Saved(-16)));
        Find(table, 0x201004).ShouldBe(Row(Cfa(6, 16), Saved(-8), Saved(-16)));
        Find(table, 0x201023).ShouldBe(Row(Cfa(6, 16), Saved(-8), Saved(-16)));
        Find(table, 0x201024).ShouldBe(Entry);
        Find(table, 0x201025).ShouldBe(Row(Cfa(6, 16), Saved(-8), Saved(-16)));
        Find(table, 0x20103f).ShouldBe(Row(Cfa(6, 16), Saved(-8), Saved(-16)));
        Find(table, 0x201040).ShouldBeNull();
        Find(table, 0x200fff).ShouldBeNull();
        table.Count.ShouldBe(1);
        table.Architecture.ShouldBe(UnwindArchitecture.X64);

        // Code at file offset 0x1000 runs at 0x201000 (see Load): the offset is translated first.
        table.TryFindByFileOffset(0x1004, out var row).ShouldBeTrue();
        row.ShouldBe(Row(Cfa(6, 16), Saved(-8), Saved(-16)));
        table.TryFindByFileOffset(0x3000, out _).ShouldBeFalse();
    }

    [Fact]
    public void Factored_value_register_and_expression_rules_are_decoded()
    {
        var frames = new EhFrameBuilder(EhFrameAddress);
        var cie = frames.Cie(X64Initial);
        frames.Fde(cie, 0x201100, 0x80, [
            0x14, 6, 2, // val_offset rbp: CFA + 2 × -8
            0x15, 16, 0x7e, // val_offset_sf ra: CFA + -2 × -8
            0x12, 7, 0x7e, // def_cfa_sf rsp, -2 × -8
            0x42, // advance 2
            0x13, 0x7c, // def_cfa_offset_sf -4 × -8
            0x2f, 6, 2, // GNU_negative_offset_extended rbp: CFA - 2 × -8
            0x09, 16, 0, // register: ra in rax
            0x2e, 8, // GNU_args_size
            0x03, 0x10, 0x00, // advance_loc2 16
            0x10, 6, 2, 0x77, 0x00, // expression rbp (2-byte block)
            0x0f, 2, 0x77, 0x08, // def_cfa_expression (2-byte block)
            0x07, 16, // undefined ra
            0x04, 0x10, 0, 0, 0, // advance_loc4 16
            0x11, 16, 0x02, // offset_extended_sf ra: 2 × -8
            0x05, 6, 3, // offset_extended rbp: 3 × -8
            0x0c, 6, 16, // def_cfa rbp + 16
            0x42, // advance 2
            0x08, 6, // same_value rbp
            0x07, 16, // undefined ra
            0x06, 16, // restore_extended ra: the CIE's rule
        ]);
        var table = Load(frames);

        Find(table, 0x201100).ShouldBe(Row(Cfa(7, 16), new RegisterRule(RegisterRuleKind.ValueOffset, 16), new RegisterRule(RegisterRuleKind.ValueOffset, -16)));
        Find(table, 0x201102).ShouldBe(Row(Cfa(7, 32), new RegisterRule(RegisterRuleKind.Register, 0), Saved(16)));
        Find(table, 0x201112).ShouldBe(Row(
            new CfaRule(CfaRuleKind.Expression, 0, 0), new RegisterRule(RegisterRuleKind.Undefined, 0), new RegisterRule(RegisterRuleKind.Expression, 0)));
        Find(table, 0x201122).ShouldBe(Row(Cfa(6, 16), Saved(-16), Saved(-24)));
        Find(table, 0x201124).ShouldBe(Row(Cfa(6, 16), Saved(-8), Same));
    }

    [Fact]
    public void An_absolute_encoding_a_set_loc_a_signal_frame_and_64_bit_lengths_are_read()
    {
        var frames = new EhFrameBuilder(EhFrameAddress);
        var absolute = frames.Cie(X64Initial, augmentation: "z");
        frames.Fde(absolute, 0x201200, 0x40, [0x0e, 16, 0x01, .. BitConverter.GetBytes(0x201210UL), 0x0e, 24, 0x02, 0x10, 0x0e, 32], absolute: true);
        var signal = frames.Cie(X64Initial, augmentation: "zRS");
        frames.Fde(signal, 0x201300, 0x10, [0x0e, 40]);
        frames.Terminator(); // a zero length ends an input section; more may follow in a linked file
        var wide = frames.Cie(X64Initial, extended64: true);
        frames.Fde(wide, 0x201400, 0x10, [0x0e, 48], extended64: true);
        var table = Load(frames);

        Find(table, 0x201200).ShouldBe(Row(Cfa(7, 16), Saved(-8), Same));
        Find(table, 0x20120f).ShouldBe(Row(Cfa(7, 16), Saved(-8), Same));
        Find(table, 0x201210).ShouldBe(Row(Cfa(7, 24), Saved(-8), Same));
        Find(table, 0x201220).ShouldBe(Row(Cfa(7, 32), Saved(-8), Same));
        Find(table, 0x201300).ShouldBe(Row(Cfa(7, 40), Saved(-8), Same) with { IsSignalFrame = true });
        Find(table, 0x201400).ShouldBe(Row(Cfa(7, 48), Saved(-8), Same));
        table.Count.ShouldBe(3);
    }

    [Fact]
    public void An_arm64_leaf_keeps_its_return_address_in_x30_until_the_prologue_saves_it()
    {
        var frames = new EhFrameBuilder(EhFrameAddress);
        var cie = frames.Cie([0x0c, 31, 0], codeAlignment: 4, dataAlignment: -8, returnAddress: 30);
        frames.Fde(cie, 0x201000, 0x20, [
            0x2d, // negate_ra_state (paciasp): nothing for the rows
            0x41, // advance 1 × 4 bytes
            0x0e, 16, // def_cfa_offset 16: stp x29, x30, [sp, #-16]!
            0x9d, 2, // offset x29 at CFA - 16
            0x9e, 1, // offset x30 at CFA - 8
        ]);
        var table = Load(frames, machine: 183);

        table.Architecture.ShouldBe(UnwindArchitecture.Arm64);
        Find(table, 0x201000).ShouldBe(Row(Cfa(31, 0), Same, Same));
        Find(table, 0x201003).ShouldBe(Row(Cfa(31, 0), Same, Same));
        Find(table, 0x201004).ShouldBe(Row(Cfa(31, 16), Saved(-8), Saved(-16)));
    }

    [Fact]
    public void Instructions_that_cannot_be_interpreted_give_an_undefined_CFA_for_the_function_only()
    {
        var frames = new EhFrameBuilder(EhFrameAddress);
        var cie = frames.Cie(X64Initial);
        frames.Fde(cie, 0x201000, 0x10, [0x3f]); // an opcode DWARF does not define
        frames.Fde(cie, 0x201100, 0x10, [.. Enumerable.Repeat((byte)0x0a, 17)]); // remember_state deeper than the stack
        frames.Fde(cie, 0x201200, 0x10, [0x0b]); // restore_state of nothing
        frames.Fde(cie, 0x201300, 0x10, [0x0c, 7]); // def_cfa missing its offset
        frames.Fde(cie, 0x201400, 0x10, [.. Enumerable.Repeat((byte)0x0a, 16), .. Enumerable.Repeat((byte)0x0b, 16), 0x0e, 16]);
        var table = Load(frames);

        foreach (var address in new ulong[] { 0x201000, 0x201100, 0x201200, 0x201300 })
        {
            table.TryFind(address, out var row).ShouldBeTrue();
            row.Cfa.Kind.ShouldBe(CfaRuleKind.Undefined, $"at {address:x}");
        }

        Find(table, 0x201400).ShouldBe(Row(Cfa(7, 16), Saved(-8), Same));
    }

    [Fact]
    public void A_truncated_section_keeps_the_entries_before_the_cut()
    {
        var frames = new EhFrameBuilder(EhFrameAddress);
        var cie = frames.Cie(X64Initial);
        frames.Fde(cie, 0x201000, 0x10, [0x0e, 16]);
        frames.Fde(cie, 0x201100, 0x10, [0x0e, 16]);
        frames.Fde(cie, 0x201200, 0x10, [0x0e, 16]);
        var bytes = frames.Build();

        var table = Load(bytes[..^5]);

        table.Count.ShouldBe(2);
        Find(table, 0x201100).ShouldBe(Row(Cfa(7, 16), Saved(-8), Same));
        Find(table, 0x201200).ShouldBeNull();
    }

    [Fact]
    public void Entries_that_point_nowhere_or_claim_too_much_are_skipped()
    {
        var frames = new EhFrameBuilder(EhFrameAddress);
        var cie = frames.Cie(X64Initial);
        var badVersion = frames.Cie(X64Initial);
        frames.Fde(cie, 0x201000, 0x10, [0x0e, 16]);
        frames.Fde(cie + 1, 0x201100, 0x10, [0x0e, 16]); // not at a CIE
        frames.Fde(badVersion, 0x201200, 0x10, [0x0e, 16]);
        frames.Fde(cie, 0x201300, 0, []); // no code
        frames.Fde(frames.Cie(X64Initial, augmentation: "zXR"), 0x201500, 0x10, [0x0e, 16]); // 'X': data of unknown size before 'R'
        frames.Raw([0xf0, 0xff, 0xff, 0x7f, 0, 0, 0, 0]); // a length past the end: nothing after it can be found
        frames.Fde(cie, 0x201400, 0x10, [0x0e, 16]);
        var bytes = frames.Build();
        bytes[badVersion + 8] = 2; // version 2 is .debug_frame's, never .eh_frame's

        var table = Load(bytes);

        table.Count.ShouldBe(1);
        Find(table, 0x201000).ShouldNotBeNull();
        Find(table, 0x201100).ShouldBeNull();
        Find(table, 0x201200).ShouldBeNull();
        Find(table, 0x201400).ShouldBeNull();
        Find(table, 0x201500).ShouldBeNull();
    }

    [Fact]
    public void Garbage_and_corrupted_sections_load_and_look_up_without_throwing()
    {
        var random = new Random(16);
        var frames = new EhFrameBuilder(EhFrameAddress);
        var cie = frames.Cie(X64Initial);
        for (ulong i = 0; i < 8; i++)
        {
            frames.Fde(cie, 0x201000 + (i * 0x100), 0x80, [0x41, 0x0e, 16, 0x86, 2, 0x0a, 0x43, 0x0d, 6, 0x0b, 0x2e, 8]);
        }

        var valid = frames.Build();
        for (var round = 0; round < 200; round++)
        {
            var bytes = round % 2 == 0 ? new byte[random.Next(1, 600)] : [.. valid];
            if (round % 2 == 0)
            {
                random.NextBytes(bytes);
            }
            else
            {
                for (var flips = 0; flips < 4; flips++)
                {
                    bytes[random.Next(bytes.Length)] ^= (byte)(1 << random.Next(8));
                }
            }

            var table = CallFrameTable.Load(Write($"garbage{round}.so", Image(bytes)));
            if (table is null)
            {
                continue;
            }

            for (ulong address = 0x200f00; address < 0x201900; address += 7)
            {
                table.TryFind(address, out _);
            }
        }
    }

    [Fact]
    public void Files_without_eh_frame_of_other_machines_or_not_ELF_load_as_nothing()
    {
        var frames = new EhFrameBuilder(EhFrameAddress);
        frames.Fde(frames.Cie(X64Initial), 0x201000, 0x10, []);

        CallFrameTable.Load(Write("no-eh-frame.so", new ElfImageBuilder().Load(0x1000, 0x201000, 0x1000).Build())).ShouldBeNull();
        CallFrameTable.Load(Write("arm32.so", Image(frames.Build(), machine: 40))).ShouldBeNull();
        CallFrameTable.Load(Write("text", "not an ELF file, only text long enough to be mistaken for a header if one tried"u8.ToArray())).ShouldBeNull();
        CallFrameTable.Load(Path.Combine(_dir.FullName, "missing")).ShouldBeNull();
        CallFrameTable.Load(_dir.FullName).ShouldBeNull();
        CallFrameTable.Load(Write("empty-eh-frame.so", Image([]))).ShouldNotBeNull().Count.ShouldBe(0);
    }

    [Fact]
    public void The_build_id_comes_from_the_note()
    {
        byte[] note = [4, 0, 0, 0, 8, 0, 0, 0, 3, 0, 0, 0, .. "GNU\0"u8, 0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef];
        var image = new ElfImageBuilder()
            .Load(0x1000, 0x201000, 0x1000)
            .Section(".note.gnu.build-id", 0x200300, note, type: 7)
            .Section(".eh_frame", EhFrameAddress, new EhFrameBuilder(EhFrameAddress).Terminator().Build())
            .Build();

        CallFrameTable.Load(Write("noted.so", image)).ShouldNotBeNull().BuildId.ShouldBe("0123456789abcdef");
        CallFrameTable.Load(Write("anonymous.so", Image([]))).ShouldNotBeNull().BuildId.ShouldBeNull();
    }

    [Fact]
    public void Looking_up_rows_of_the_real_libc_allocates_nothing()
    {
        var write = (ulong)NativeLibrary.GetExport(NativeLibrary.Load("libc.so.6"), "write");
        var mapping = ProcMaps.Read(Environment.ProcessId).Single(m => m.Contains(write));
        var table = CallFrameTable.Load(mapping.Path!).ShouldNotBeNull();
        var offset = write - mapping.Start + mapping.Offset;
        table.TryFindByFileOffset(offset, out var row).ShouldBeTrue();
        row.Cfa.Kind.ShouldBe(CfaRuleKind.RegisterOffset);

        // A first pass warms every path. Then passes until one allocates nothing: on a loaded CI machine tiered
        // compilation can still be promoting the lookup during a pass, which counted 7.4 kB on this thread; code
        // that allocates would allocate in every pass.
        var found = LookUpAcross(table, offset);
        var allocated = AllocationFree.FewestBytes(() => LookUpAcross(table, offset));

        allocated.ShouldBe(0L);
        found.ShouldBeGreaterThan(10_000);
    }

    /// <summary>Across write and the functions after it: rows after pushes, remembered states, gaps between FDEs.</summary>
    private static int LookUpAcross(CallFrameTable table, ulong offset)
    {
        var found = 0;
        for (ulong i = 0; i < 20_000; i++)
        {
            found += table.TryFindByFileOffset(offset + (i * 13), out _) ? 1 : 0;
        }

        return found;
    }

    private static UnwindRow? Find(CallFrameTable table, ulong address) => table.TryFind(address, out var row) ? row : null;

    private static UnwindRow Row(CfaRule cfa, RegisterRule returnAddress, RegisterRule framePointer) => new(cfa, returnAddress, framePointer);

    private static CfaRule Cfa(int register, long offset) => new(CfaRuleKind.RegisterOffset, register, offset);

    private static RegisterRule Saved(long offset) => new(RegisterRuleKind.Offset, offset);

    /// <summary>An image whose code (file offset 0x1000) runs at 0x201000, with the .eh_frame given.</summary>
    private static byte[] Image(byte[] ehFrame, ushort machine = 62) =>
        new ElfImageBuilder { Machine = machine }.Load(0x1000, 0x201000, 0x1000).Section(".eh_frame", EhFrameAddress, ehFrame).Build();

    private CallFrameTable Load(EhFrameBuilder frames, ushort machine = 62) =>
        CallFrameTable.Load(Write("image.so", Image(frames.Build(), machine))).ShouldNotBeNull();

    private CallFrameTable Load(byte[] ehFrame) => CallFrameTable.Load(Write("image.so", Image(ehFrame))).ShouldNotBeNull();

    private string Write(string name, byte[] bytes)
    {
        var path = Path.Combine(_dir.FullName, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }
}
