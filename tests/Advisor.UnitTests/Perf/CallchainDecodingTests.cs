using Advisor.Core.Stacks;
using Advisor.Linux.Perf;
using static Advisor.UnitTests.Perf.PerfRecordBuilder;

namespace Advisor.UnitTests.Perf;

/// <summary>sys_enter records with user callchains, as the perf source opens them (the exit's chain is empty).</summary>
public class CallchainDecodingTests
{
    private const int Pid = 4242;
    private const int Tid = 4250;
    private const ulong EventId = 0x77;
    private const int WriteNr = 1;
    private const ulong ContextUser = unchecked((ulong)-512L); // PERF_CONTEXT_USER

    private readonly RecordingSink _sink = new();
    private readonly StackTable _stacks = new();
    private readonly PerfRecordDecoder _decoder;

    public CallchainDecodingTests()
    {
        var owners = new EventOwners();
        owners.Add(EventId, Tid);
        _decoder = new PerfRecordDecoder(EnterType, ExitType, hasCallchain: true, new SyscallPairer(_sink, 60, 231), owners, _stacks);
    }

    private void Call(long time, params ulong[] chain)
    {
        _decoder.Decode(Enter(EventId, Pid, Tid, time, WriteNr, Args(3, 0, 16), callchain: chain));
        _decoder.Decode(Exit(EventId, Pid, Tid, time + 100, WriteNr, 16, callchain: []));
    }

    [Fact]
    public void The_enters_callchain_becomes_the_calls_stack_without_the_context_marker()
    {
        Call(1_000, ContextUser, 0x7f00_0000_1000, 0x7f00_0000_2000, 0x5555_0000_3000);

        var e = _sink.Events.ShouldHaveSingleItem();
        e.StackId.ShouldBeGreaterThan(StackTable.None);
        _stacks.FramesOf(e.StackId).ToArray().ShouldBe([0x7f00_0000_1000UL, 0x7f00_0000_2000UL, 0x5555_0000_3000UL]);
        _stacks.PidOf(e.StackId).ShouldBe(Pid);
        _decoder.Malformed.ShouldBe(0);
    }

    [Fact]
    public void Calls_from_the_same_site_share_one_stack_and_other_sites_get_their_own()
    {
        Call(1_000, ContextUser, 0x1000, 0x2000);
        Call(2_000, ContextUser, 0x1000, 0x2000);
        Call(3_000, ContextUser, 0x1000, 0x2008);

        _sink.Events.Select(e => e.StackId).Distinct().Count().ShouldBe(2);
        _sink.Events[0].StackId.ShouldBe(_sink.Events[1].StackId);
        _stacks.Count.ShouldBe(2);
    }

    [Fact]
    public void Thread_names_the_kernel_reports_reach_the_sink()
    {
        // PERF_RECORD_COMM: header (type 3, misc, size), u32 pid, u32 tid, "writer-0\0" padded to 8 bytes.
        var record = new byte[8 + 8 + 16];
        BitConverter.TryWriteBytes(record.AsSpan(0), 3u);
        BitConverter.TryWriteBytes(record.AsSpan(6), (ushort)record.Length);
        BitConverter.TryWriteBytes(record.AsSpan(8), Pid);
        BitConverter.TryWriteBytes(record.AsSpan(12), Tid);
        "writer-0"u8.CopyTo(record.AsSpan(16));

        _decoder.Decode(record);

        _sink.Names.ShouldBe([(Pid, Tid, "writer-0")]);
        _decoder.Malformed.ShouldBe(0);
    }

    [Fact]
    public void An_empty_chain_or_one_with_only_markers_records_no_stack()
    {
        Call(1_000);
        Call(2_000, ContextUser);

        _sink.Events.ShouldAllBe(e => e.StackId == StackTable.None);
        _stacks.Count.ShouldBe(0);
    }
}
