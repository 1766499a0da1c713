using Advisor.Core.Events;
using Advisor.Linux.Perf;
using static Advisor.UnitTests.Perf.PerfRecordBuilder;

namespace Advisor.UnitTests.Perf;

public class PerfRecordDecoderTests
{
    private const int Pid = 4242;
    private const int Tid = 4250;
    private const ulong EventId = 0x77;
    private const int WriteNr = 1;
    private const int ExitNr = 60;
    private const int ExitGroupNr = 231;

    private readonly RecordingSink _sink = new();
    private readonly SyscallPairer _pairer;

    public PerfRecordDecoderTests() => _pairer = new SyscallPairer(_sink, ExitNr, ExitGroupNr);

    private PerfRecordDecoder Decoder(bool hasCallchain = false)
    {
        var owners = new EventOwners();
        owners.Add(EventId, Tid);
        return new PerfRecordDecoder(EnterType, ExitType, hasCallchain, _pairer, owners);
    }

    [Fact]
    public void Builder_lays_out_sys_enter_and_sys_exit_samples_with_perfs_padding()
    {
        // The sizes the kernel writes: 8 header + 24 (id, pid/tid, time) + 4 raw_size + raw padded to 8.
        Enter(EventId, Pid, Tid, 1, WriteNr, Args(1)).Length.ShouldBe(104);
        Exit(EventId, Pid, Tid, 1, WriteNr, 0).Length.ShouldBe(64);
        BitConverter.ToInt32(Enter(EventId, Pid, Tid, 1, WriteNr, Args(1)), 32).ShouldBe(EnterRawSize);
        BitConverter.ToInt32(Exit(EventId, Pid, Tid, 1, WriteNr, 0), 32).ShouldBe(ExitRawSize);
    }

    [Fact]
    public void Enter_and_exit_decode_into_one_syscall_event()
    {
        var decoder = Decoder();

        decoder.Decode(Enter(EventId, Pid, Tid, 1_000_000, WriteNr, Args(3, 0x7f00_1234_5678, 16, 0xAA, 0xBB, 0xCC)));
        decoder.Decode(Exit(EventId, Pid, Tid, 1_002_500, WriteNr, 16));

        _sink.Events.ShouldBe([new SyscallEvent(Pid, Tid, WriteNr, 1_000_000, 2_500, 16, 3, 0x7f00_1234_5678, 16)]);
        decoder.Samples.ShouldBe(2);
        decoder.Malformed.ShouldBe(0);
        decoder.Lost.ShouldBe(0);
    }

    [Fact]
    public void A_negative_return_is_kept_as_the_raw_errno_value()
    {
        var decoder = Decoder();

        decoder.Decode(Enter(EventId, Pid, Tid, 10, 2, Args(0x1000)));
        decoder.Decode(Exit(EventId, Pid, Tid, 30, 2, -2));

        var e = _sink.Events.ShouldHaveSingleItem();
        e.Return.ShouldBe(-2);
        e.Failed.ShouldBeTrue();
        e.Errno.ShouldBe(2);
    }

    [Fact]
    public void Perf_record_lost_is_counted_and_forwarded_to_the_sink()
    {
        var decoder = Decoder();

        decoder.Decode(Lost(EventId, 17));
        decoder.Decode(Lost(EventId, 3));

        decoder.Lost.ShouldBe(20);
        _sink.Lost.ShouldBe([17L, 3L]);
        decoder.Malformed.ShouldBe(0);
        _sink.Events.ShouldBeEmpty();
    }

    [Fact]
    public void Perf_record_lost_samples_is_counted_and_forwarded_to_the_sink()
    {
        var decoder = Decoder();

        decoder.Decode(LostSamples(250));
        decoder.Decode(Lost(EventId, 5));

        decoder.Lost.ShouldBe(255);
        _sink.Lost.ShouldBe([250L, 5L]);
    }

    [Fact]
    public void Records_of_other_types_are_ignored_without_counting_them_malformed()
    {
        var decoder = Decoder();

        decoder.Decode(Other(3, 40)); // PERF_RECORD_COMM
        decoder.Decode(Other(14, 16)); // PERF_RECORD_SWITCH

        decoder.Samples.ShouldBe(0);
        decoder.Malformed.ShouldBe(0);
        decoder.Lost.ShouldBe(0);
        _sink.Events.ShouldBeEmpty();
    }

    public static TheoryData<int> EnterTruncations()
    {
        // Every cut of a 104-byte sys_enter sample, from a bare header to one byte short.
        var data = new TheoryData<int>();
        for (var length = 8; length < 104; length += 4)
        {
            data.Add(length);
        }

        data.Add(103);
        return data;
    }

    [Theory]
    [MemberData(nameof(EnterTruncations))]
    public void A_truncated_sample_counts_as_malformed_and_does_not_throw(int length)
    {
        var decoder = Decoder();
        var record = Enter(EventId, Pid, Tid, 100, WriteNr, Args(3, 0, 16))[..length];

        Should.NotThrow(() => decoder.Decode(record));

        decoder.Malformed.ShouldBe(1);
        decoder.Samples.ShouldBe(0);
        _pairer.TrackedThreads.ShouldBe(0);
    }

    [Theory]
    [InlineData(40)] // the callchain's nr is there but its ips are not
    [InlineData(56)] // cut inside the ips
    [InlineData(64)] // ips complete, raw_size missing
    [InlineData(100)] // cut inside the raw record
    public void A_truncated_callchain_sample_counts_as_malformed_and_does_not_throw(int length)
    {
        var decoder = Decoder(hasCallchain: true);
        var record = Enter(EventId, Pid, Tid, 100, WriteNr, Args(3, 0, 16), callchain: [0x1000, 0x2000, 0x3000])[..length];

        Should.NotThrow(() => decoder.Decode(record));

        decoder.Malformed.ShouldBe(1);
    }

    [Theory]
    [InlineData(36)]
    [InlineData(39)]
    public void A_callchain_sample_cut_inside_the_callchain_count_counts_as_malformed(int length)
    {
        var decoder = Decoder(hasCallchain: true);
        var record = Enter(EventId, Pid, Tid, 100, WriteNr, Args(3, 0, 16), callchain: [0x1000])[..length];

        Should.NotThrow(() => decoder.Decode(record));

        decoder.Malformed.ShouldBe(1);
    }

    [Theory]
    [InlineData(300_000_000UL)]
    [InlineData(1UL << 61)]
    public void A_callchain_nr_larger_than_the_record_counts_as_malformed(ulong nr)
    {
        var decoder = Decoder(hasCallchain: true);
        var record = Enter(EventId, Pid, Tid, 100, WriteNr, Args(3, 0, 16), callchain: []);
        BitConverter.TryWriteBytes(record.AsSpan(32), nr).ShouldBeTrue();

        Should.NotThrow(() => decoder.Decode(record));

        decoder.Malformed.ShouldBe(1);
        _sink.Events.ShouldBeEmpty();
        _pairer.TrackedThreads.ShouldBe(0);
    }

    [Fact]
    public void A_raw_size_larger_than_the_record_counts_as_malformed()
    {
        var decoder = Decoder();
        var record = Exit(EventId, Pid, Tid, 100, WriteNr, 16);
        BitConverter.TryWriteBytes(record.AsSpan(32), 4096).ShouldBeTrue();

        Should.NotThrow(() => decoder.Decode(record));

        decoder.Malformed.ShouldBe(1);
        _pairer.TrackedThreads.ShouldBe(0);
    }

    [Fact]
    public void An_unknown_tracepoint_common_type_counts_as_malformed()
    {
        var decoder = Decoder();

        decoder.Decode(Enter(EventId, Pid, Tid, 100, WriteNr, Args(3), commonType: 999));
        decoder.Decode(Exit(EventId, Pid, Tid, 200, WriteNr, 16, commonType: 998));

        decoder.Malformed.ShouldBe(2);
        _sink.Events.ShouldBeEmpty();
    }

    [Fact]
    public void A_sys_enter_whose_raw_record_is_too_short_for_the_arguments_counts_as_malformed()
    {
        var decoder = Decoder();
        // The enter tracepoint id with only an exit-sized payload (no args[]).
        var raw = new byte[24];
        BitConverter.TryWriteBytes(raw, EnterType).ShouldBeTrue();

        decoder.Decode(Sample(EventId, Pid, Tid, 100, raw));

        decoder.Malformed.ShouldBe(1);
        _pairer.TrackedThreads.ShouldBe(0);
    }

    [Fact]
    public void With_callchains_a_sample_carrying_a_callchain_still_decodes()
    {
        var decoder = Decoder(hasCallchain: true);
        ulong[] enterChain = [0xffff_ffff_ffff_fe00, 0x7f12_3456_0000, 0x7f12_3456_1000, 0x5555_0000_1234];
        ulong[] exitChain = [0xffff_ffff_ffff_fe00, 0x7f12_3456_0000];

        decoder.Decode(Enter(EventId, Pid, Tid, 5_000, WriteNr, Args(7, 0xdead_beef, 4096), enterChain));
        decoder.Decode(Exit(EventId, Pid, Tid, 9_000, WriteNr, 4096, exitChain));

        _sink.Events.ShouldBe([new SyscallEvent(Pid, Tid, WriteNr, 5_000, 4_000, 4096, 7, 0xdead_beef, 4096)]);
        decoder.Malformed.ShouldBe(0);
    }

    [Fact]
    public void With_callchains_an_empty_callchain_still_decodes()
    {
        var decoder = Decoder(hasCallchain: true);

        decoder.Decode(Enter(EventId, Pid, Tid, 5_000, WriteNr, Args(7, 1, 2), callchain: []));
        decoder.Decode(Exit(EventId, Pid, Tid, 6_000, WriteNr, 2, callchain: []));

        _sink.Events.ShouldHaveSingleItem().DurationNs.ShouldBe(1_000);
        decoder.Malformed.ShouldBe(0);
    }

    [Fact]
    public void The_time_of_a_sample_is_read_from_the_record()
    {
        PerfRecordDecoder.TimeOf(Enter(EventId, Pid, Tid, 123_456_789, WriteNr, Args(1))).ShouldBe(123_456_789);
        PerfRecordDecoder.TimeOf(Exit(EventId, Pid, Tid, 42, WriteNr, 0, callchain: [1, 2])).ShouldBe(42);
    }

    [Fact]
    public void Records_without_a_time_have_the_earliest_possible_time()
    {
        PerfRecordDecoder.TimeOf(Lost(EventId, 1)).ShouldBe(long.MinValue);
        PerfRecordDecoder.TimeOf(LostSamples(1)).ShouldBe(long.MinValue);
        PerfRecordDecoder.TimeOf(Enter(EventId, Pid, Tid, 5, WriteNr, Args(1))[..31]).ShouldBe(long.MinValue);
    }

    [Fact]
    public void Samples_of_an_event_opened_on_another_thread_are_decoded_as_inherited()
    {
        // EventId belongs to Tid; a sample of that event from thread Tid + 1 came through inheritance.
        var decoder = Decoder();
        const int child = Tid + 1;

        decoder.Decode(Enter(EventId, Pid, child, 100, WriteNr, Args(3)));
        decoder.Decode(Exit(EventId, Pid, child, 150, WriteNr, 1));

        _sink.Events.ShouldHaveSingleItem().Tid.ShouldBe(child);
    }
}
