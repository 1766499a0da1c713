using System.Buffers.Binary;
using Advisor.Linux.Perf;
using Microsoft.Win32.SafeHandles;
using static Advisor.UnitTests.Perf.PerfRecordBuilder;

namespace Advisor.UnitTests.Perf;

/// <summary>
/// Drives <see cref="PerfRingBuffer"/> over a regular file laid out like a perf mmap (metadata page, then the
/// data pages): the test plays the kernel, writing records and data_head through the file, which MAP_SHARED
/// makes visible to the ring's mapping, and reading back the data_tail the ring publishes.
/// </summary>
public sealed class PerfRingBufferTests : IDisposable
{
    private const int DataPages = 1;
    private const int Pid = 500;
    private const ulong EventId = 9;
    private const int Write = 1;

    private readonly string _path = Path.GetTempFileName();
    private readonly SafeFileHandle _file;
    private readonly int _pageSize = Environment.SystemPageSize;
    private readonly RecordingSink _sink = new();
    private readonly PerfRecordDecoder _decoder;
    private ulong _head;

    public PerfRingBufferTests()
    {
        _file = File.OpenHandle(_path, FileMode.Open, FileAccess.ReadWrite);
        RandomAccess.SetLength(_file, (DataPages + 1) * _pageSize);
        WriteMeta(PerfMmapPage.DataOffset, (ulong)_pageSize);
        WriteMeta(PerfMmapPage.DataSize, DataSize);
        var owners = new EventOwners();
        _decoder = new PerfRecordDecoder(EnterType, ExitType, hasCallchain: false, new SyscallPairer(_sink, 60, 231), owners);
    }

    private ulong DataSize => (ulong)(DataPages * _pageSize);

    public void Dispose()
    {
        _file.Dispose();
        File.Delete(_path);
    }

    /// <summary>Where the kernel has written up to and the reader has consumed to, before any record.</summary>
    private void StartAt(ulong position)
    {
        _head = position;
        WriteMeta(PerfMmapPage.DataHead, position);
        WriteMeta(PerfMmapPage.DataTail, position);
    }

    /// <summary>Writes a record at data_head, wrapping at the end of the data area as the kernel does.</summary>
    private void Append(byte[] record)
    {
        var offset = _head % DataSize;
        var first = (int)Math.Min((ulong)record.Length, DataSize - offset);
        RandomAccess.Write(_file, record.AsSpan(0, first), _pageSize + (long)offset);
        if (first < record.Length)
        {
            RandomAccess.Write(_file, record.AsSpan(first), _pageSize);
        }

        _head += (ulong)record.Length;
    }

    private void Publish() => WriteMeta(PerfMmapPage.DataHead, _head);

    private void PublishUpTo(ulong head) => WriteMeta(PerfMmapPage.DataHead, head);

    private ulong Tail => ReadMeta(PerfMmapPage.DataTail);

    private PerfRingBuffer Open() => new((int)_file.DangerousGetHandle(), DataPages);

    private void AppendCall(int tid, long start, long duration, ulong fd, ulong size)
    {
        Append(Enter(EventId, Pid, tid, start, Write, Args(fd, 0x1111_2222_3333_4444, size, 0x5555_6666_7777_8888)));
        Append(Exit(EventId, Pid, tid, start + duration, Write, (long)size));
    }

    private void WriteMeta(int offset, ulong value)
    {
        Span<byte> bytes = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, value);
        RandomAccess.Write(_file, bytes, offset);
    }

    private ulong ReadMeta(int offset)
    {
        Span<byte> bytes = stackalloc byte[8];
        RandomAccess.Read(_file, bytes, offset).ShouldBe(8);
        return BinaryPrimitives.ReadUInt64LittleEndian(bytes);
    }

    [Fact]
    public void The_data_area_is_found_from_data_offset_and_data_size()
    {
        using var ring = Open();

        ring.DataSize.ShouldBe(DataSize);
        ring.Pending.ShouldBe(0UL);
    }

    [Fact]
    public void Records_are_delivered_in_order()
    {
        StartAt(0);
        AppendCall(tid: 501, start: 1_000, duration: 100, fd: 3, size: 10);
        AppendCall(tid: 502, start: 2_000, duration: 200, fd: 4, size: 20);
        Append(Lost(EventId, 7));
        AppendCall(tid: 503, start: 3_000, duration: 300, fd: 5, size: 30);
        Publish();
        using var ring = Open();

        ring.Pending.ShouldBe(_head);
        ring.Drain(_decoder).ShouldBe(_head);

        _sink.Events.Select(e => (e.Tid, e.StartNs, e.DurationNs, e.Arg0)).ShouldBe(
            [(501, 1_000L, 100L, 3UL), (502, 2_000L, 200L, 4UL), (503, 3_000L, 300L, 5UL)]);
        _sink.Lost.ShouldBe([7L]);
        _decoder.Malformed.ShouldBe(0);
    }

    [Fact]
    public void A_record_straddling_the_end_of_the_ring_is_delivered_whole()
    {
        // 40 bytes before the end: the 104-byte sys_enter sample wraps 64 bytes into the start.
        StartAt(DataSize - 40);
        AppendCall(tid: 501, start: 1_000, duration: 250, fd: 3, size: 16);
        Publish();
        using var ring = Open();

        ring.Drain(_decoder).ShouldBe(104UL + 64UL);

        _sink.Events.ShouldBe([new(Pid, 501, Write, 1_000, 250, 16, 3, 0x1111_2222_3333_4444, 16)]);
        _decoder.Malformed.ShouldBe(0);
    }

    [Fact]
    public void A_record_ending_exactly_at_the_end_of_the_ring_is_read_in_place_and_the_next_starts_at_zero()
    {
        StartAt(DataSize - 104);
        AppendCall(tid: 501, start: 1_000, duration: 50, fd: 3, size: 16);
        Publish();
        using var ring = Open();

        ring.Drain(_decoder);

        _sink.Events.ShouldHaveSingleItem().DurationNs.ShouldBe(50);
        _decoder.Malformed.ShouldBe(0);
    }

    [Fact]
    public void Drain_advances_data_tail_to_data_head()
    {
        StartAt(1_000_000 * DataSize); // positions are free-running counters, far past the first lap
        AppendCall(tid: 501, start: 1_000, duration: 100, fd: 3, size: 16);
        AppendCall(tid: 501, start: 2_000, duration: 100, fd: 3, size: 16);
        Publish();
        using var ring = Open();

        ring.Drain(_decoder).ShouldBe(2UL * (104 + 64));

        Tail.ShouldBe(_head);
        ring.Pending.ShouldBe(0UL);
        _sink.Events.Count.ShouldBe(2);
    }

    [Fact]
    public void Draining_an_empty_ring_consumes_nothing()
    {
        StartAt(4096);
        using var ring = Open();

        ring.Drain(_decoder).ShouldBe(0UL);

        Tail.ShouldBe(4096UL);
        _sink.Events.ShouldBeEmpty();
    }

    [Fact]
    public void A_record_not_fully_below_data_head_is_left_for_the_next_drain()
    {
        StartAt(0);
        AppendCall(tid: 501, start: 1_000, duration: 100, fd: 3, size: 16);
        var firstCall = _head;
        AppendCall(tid: 502, start: 2_000, duration: 100, fd: 4, size: 16);
        PublishUpTo(firstCall + 50); // half of the second call's sys_enter
        using var ring = Open();

        ring.Drain(_decoder).ShouldBe(firstCall);
        Tail.ShouldBe(firstCall);
        _sink.Events.Count.ShouldBe(1);

        Publish();
        ring.Drain(_decoder).ShouldBe(_head - firstCall);
        Tail.ShouldBe(_head);
        _sink.Events.Select(e => e.Tid).ShouldBe([501, 502]);
    }

    [Fact]
    public void Records_keep_their_order_over_many_laps_of_the_ring()
    {
        // 168 bytes per call in a 4 KiB ring: 200 calls go round about eight times, wrapping records
        // at every offset the alignment allows.
        StartAt(0);
        using var ring = Open();
        for (var i = 0; i < 200; i++)
        {
            AppendCall(tid: 600 + (i % 3), start: i * 1_000L, duration: i, fd: (ulong)i, size: (ulong)i);
            if (i % 7 == 6)
            {
                Publish();
                ring.Drain(_decoder);
                Tail.ShouldBe(_head);
            }
        }

        Publish();
        ring.Drain(_decoder);

        _sink.Events.Select(e => (long)e.Arg0).ShouldBe(Enumerable.Range(0, 200).Select(i => (long)i));
        _sink.Events.All(e => e.DurationNs == (long)e.Arg0 && e.Arg1 == 0x1111_2222_3333_4444).ShouldBeTrue();
        _decoder.Malformed.ShouldBe(0);
    }

    // ---- the pass API the multi-ring merge uses ----

    [Fact]
    public void Peeking_shows_the_next_record_and_its_time_without_consuming_it()
    {
        StartAt(0);
        AppendCall(tid: 501, start: 1_000, duration: 100, fd: 3, size: 16);
        Publish();
        using var ring = Open();

        ring.BeginPass();
        ring.TryPeek(out var time, out var record).ShouldBeTrue();
        var length = record.Length;
        ring.TryPeek(out var again, out var same).ShouldBeTrue();

        time.ShouldBe(1_000);
        length.ShouldBe(104);
        again.ShouldBe(time);
        same.Length.ShouldBe(length);
        ring.Pending.ShouldBe(_head);
    }

    [Fact]
    public void A_wrapped_record_peeked_twice_is_the_same_whole_record()
    {
        StartAt(DataSize - 40);
        AppendCall(tid: 501, start: 7_000, duration: 100, fd: 3, size: 16);
        Publish();
        using var ring = Open();

        ring.BeginPass();
        ring.TryPeek(out var time, out var first).ShouldBeTrue();
        var copy = first.ToArray();
        ring.TryPeek(out _, out var second).ShouldBeTrue();

        time.ShouldBe(7_000);
        second.ToArray().ShouldBe(copy);
        copy.ShouldBe(Enter(EventId, Pid, 501, 7_000, Write, Args(3, 0x1111_2222_3333_4444, 16, 0x5555_6666_7777_8888)));
    }

    [Fact]
    public void Records_without_a_timestamp_peek_as_the_earliest_possible_time()
    {
        StartAt(0);
        Append(Lost(EventId, 3));
        Append(LostSamples(4));
        Publish();
        using var ring = Open();

        ring.BeginPass();
        ring.TryPeek(out var lost, out _).ShouldBeTrue();
        ring.Advance();
        ring.TryPeek(out var lostSamples, out _).ShouldBeTrue();
        ring.Advance();

        lost.ShouldBe(long.MinValue);
        lostSamples.ShouldBe(long.MinValue);
        ring.TryPeek(out _, out _).ShouldBeFalse();
    }

    [Fact]
    public void Advance_consumes_one_record_and_end_pass_publishes_the_tail()
    {
        StartAt(0);
        AppendCall(tid: 501, start: 1_000, duration: 100, fd: 3, size: 16);
        Publish();
        using var ring = Open();

        ring.BeginPass();
        ring.TryPeek(out _, out _).ShouldBeTrue();
        ring.Advance();
        ring.TryPeek(out var exitTime, out var exit).ShouldBeTrue();
        exitTime.ShouldBe(1_100);
        exit.Length.ShouldBe(64);
        Tail.ShouldBe(0UL); // nothing is freed before the pass ends

        ring.EndPass();

        Tail.ShouldBe(104UL);
        ring.Pending.ShouldBe(64UL);
    }

    [Fact]
    public void A_pass_sees_only_what_was_published_when_it_began()
    {
        StartAt(0);
        AppendCall(tid: 501, start: 1_000, duration: 100, fd: 3, size: 16);
        Publish();
        using var ring = Open();

        ring.BeginPass();
        AppendCall(tid: 502, start: 2_000, duration: 100, fd: 3, size: 16);
        Publish();
        var seen = 0;
        while (ring.TryPeek(out _, out _))
        {
            ring.Advance();
            seen++;
        }

        ring.EndPass();

        seen.ShouldBe(2);
        Tail.ShouldBe(168UL);
        ring.Drain(_decoder).ShouldBe(168UL); // the next pass picks up the rest
    }

    /// <summary>Offsets in struct perf_event_mmap_page (include/uapi/linux/perf_event.h).</summary>
    private static class PerfMmapPage
    {
        public const int DataHead = 1024;
        public const int DataTail = 1032;
        public const int DataOffset = 1040;
        public const int DataSize = 1048;
    }
}
