using System.Text;
using Advisor.Linux.Perf;
using static Advisor.UnitTests.Perf.PerfRecordBuilder;

namespace Advisor.UnitTests.Perf;

/// <summary>The path an openat was given, read from the user stack copied with the call.</summary>
public class OpenPathCaptureTests
{
    private const ushort OpenAtType = 30;
    private const ulong Sp = 0x7ffd_1000_0000;

    private readonly RecordingSink _sink = new();

    private PerfRecordDecoder Decoder() =>
        new(EnterType, ExitType, hasCallchain: false, new SyscallPairer(_sink, 60, 231), new EventOwners(), openPathTracepointId: OpenAtType);

    /// <summary>A 2 KiB stack copy with <paramref name="path"/> (NUL-terminated) at <paramref name="offset"/> above the stack pointer.</summary>
    private static byte[] StackWith(string path, int offset)
    {
        var stack = new byte[2048];
        Random.Shared.NextBytes(stack);
        var bytes = Encoding.UTF8.GetBytes(path + "\0");
        bytes.CopyTo(stack, offset);
        return stack;
    }

    [Fact]
    public void A_path_marshalled_onto_the_callers_stack_is_read_from_the_copy()
    {
        var record = OpenAt(1, 10, 11, 1_000, OpenAtType, Sp + 600, Sp, StackWith("/var/log/app.log", 600));

        Decoder().Decode(record);

        _sink.OpenPaths.ShouldBe([(10, 11, "/var/log/app.log")]);
    }

    [Fact]
    public void A_path_outside_the_copied_stack_is_left_to_the_later_read()
    {
        var record = OpenAt(1, 10, 11, 1_000, OpenAtType, 0x5555_0000_1000, Sp, StackWith("/var/log/app.log", 600));

        Decoder().Decode(record);

        _sink.OpenPaths.ShouldBeEmpty();
    }

    [Fact]
    public void A_path_running_past_the_copy_is_not_guessed()
    {
        var stack = new byte[2048];
        Array.Fill(stack, (byte)'a');
        var record = OpenAt(1, 10, 11, 1_000, OpenAtType, Sp + 2040, Sp, stack);

        Decoder().Decode(record);

        _sink.OpenPaths.ShouldBeEmpty();
    }

    [Fact]
    public void The_open_path_record_layout_is_the_same_as_the_others_up_to_the_raw_record_with_stacks_too()
    {
        var owners = new EventOwners();
        var decoder = new PerfRecordDecoder(EnterType, ExitType, hasCallchain: true, new SyscallPairer(_sink, 60, 231), owners, openPathTracepointId: OpenAtType);
        // The kernel writes an empty callchain for it (both halves excluded), as for sys_exit.
        var record = OpenAt(1, 10, 11, 1_000, OpenAtType, Sp + 64, Sp, StackWith("/data/orders.db-journal", 64), callchain: []);

        decoder.Decode(record);

        _sink.OpenPaths.ShouldBe([(10, 11, "/data/orders.db-journal")]);
        decoder.Malformed.ShouldBe(0);
    }
}
