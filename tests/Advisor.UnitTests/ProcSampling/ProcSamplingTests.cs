using Advisor.Core.Events;
using Advisor.Linux.ProcSampling;

namespace Advisor.UnitTests.ProcSampling;

/// <summary>The /proc backend's reading of a thread's files and the calls it makes of their counts.</summary>
public class ProcSamplingTests
{
    private const int Read = 0;
    private const int Write = 1;

    private sealed class Recorder : ISyscallSink
    {
        public List<SyscallEvent> Events { get; } = [];

        public void OnSyscall(in SyscallEvent e) => Events.Add(e);

        public void OnLost(long count)
        {
        }
    }

    [Fact]
    public void The_io_file_gives_exact_call_and_byte_counts()
    {
        ThreadSample.TryParseIo("rchar: 662\nwchar: 25080400\nsyscr: 7\nsyscw: 1567525\nread_bytes: 0\nwrite_bytes: 25083904\ncancelled_write_bytes: 0\n",
            out var reads, out var writes, out var readBytes, out var written).ShouldBeTrue();

        (reads, writes, readBytes, written).ShouldBe((7L, 1567525L, 662L, 25080400L));
        ThreadSample.TryParseIo("rchar: 1\n", out _, out _, out _, out _).ShouldBeFalse();
    }

    [Fact]
    public void System_time_is_field_15_counted_after_a_name_that_may_hold_spaces_and_parentheses()
    {
        const string stat = "9841 (.NET TP (x) Wo) R 9833 9833 1 34816 9833 4194368 120 0 0 0 31 152 0 0 20 0 12 0 4242 0 0";

        ThreadSample.SystemTimeNs(stat).ShouldBe(152 * 10_000_000L);
    }

    [Theory]
    [InlineData("running", null)]
    [InlineData("-1 0x7ffd4a1c 0x7f12", null)]
    [InlineData("202 0x55e609b55580 0x80 0x0 0x0 0x0 0x0 0x7ffd490a0f58 0x7fc9f5d41000", 202)]
    public void The_syscall_file_names_the_call_a_thread_is_blocked_in(string text, int? number)
    {
        var call = ThreadSample.ParseSyscall(text);

        call?.Number.ShouldBe(number!.Value);
        (call is null).ShouldBe(number is null);
        if (call is { } c)
        {
            c.Arg0.ShouldBe(0x55e609b55580UL);
            c.Arg1.ShouldBe(0x80UL);
        }
    }

    [Fact]
    public void Counts_become_as_many_calls_with_the_bytes_shared_exactly_and_the_kernel_time_shared_out()
    {
        var sink = new Recorder();

        IoEvents.Emit(sink, 10, 11, 1_000, 2_000, reads: 0, writes: 3, readBytes: 0, writtenBytes: 50, systemNs: 300, read: (Read, 4), write: (Write, 5));

        sink.Events.Select(e => e.Return).ShouldBe([17L, 17L, 16L]);
        sink.Events.ShouldAllBe(e => e.Number == Write && e.Arg0 == 5 && e.DurationNs == 100 && e.Pid == 10 && e.Tid == 11);
        sink.Events.Select(e => e.StartNs).ShouldBe([1_000L, 1_333L, 1_666L]);
    }

    [Fact]
    public void Reads_and_writes_of_one_interval_are_interleaved_so_request_response_makes_no_long_runs()
    {
        var sink = new Recorder();

        IoEvents.Emit(sink, 10, 11, 0, 1_000, reads: 50, writes: 50, readBytes: 50 * 64, writtenBytes: 50 * 64, systemNs: 0, read: (Read, 7), write: (Write, 7));

        var numbers = sink.Events.Select(e => e.Number).ToList();
        numbers.Count.ShouldBe(100);
        numbers.Zip(numbers.Skip(1)).ShouldAllBe(pair => pair.First != pair.Second);
    }

    [Fact]
    public void A_call_seen_blocked_over_several_samples_is_one_call_delivered_when_it_ends()
    {
        var sink = new Recorder();
        var state = new SampledThread(default);
        var futex = new BlockedCall(202, 0x1000, 0x80, 0);
        IoKind KindOf(int nr) => nr == 0 ? IoKind.Read : IoKind.None;

        state.Observe(futex, 0, 10_000_000, KindOf, 11, 10, sink);
        state.Observe(futex, 10_000_000, 20_000_000, KindOf, 11, 10, sink);
        state.Observe(futex, 20_000_000, 30_000_000, KindOf, 11, 10, sink);
        sink.Events.ShouldBeEmpty();
        state.Observe(new BlockedCall(0, 9, 0, 4096), 30_000_000, 40_000_000, KindOf, 11, 10, sink);

        var e = sink.Events.ShouldHaveSingleItem();
        (e.Number, e.StartNs, e.DurationNs, e.Arg0).ShouldBe((202, 10_000_000L, 25_000_000L, 0x1000UL));
        (state.ReadFd, state.ReadNumber).ShouldBe((9, 0));

        state.Observe(null, 40_000_000, 50_000_000, KindOf, 11, 10, sink);
        sink.Events.Count.ShouldBe(1, "reads are counted by the io file, not delivered from samples");
    }
}
