using Advisor.Core.Rules;
using Advisor.Core.Sources;
using Advisor.Core.Stacks;
using Advisor.UnitTests.Aggregation;
using static Advisor.UnitTests.Aggregation.SyscallStream;

namespace Advisor.UnitTests.Rules;

/// <summary>
/// A finding's saving is what the calls cost without the tool: what the recorder added to each measured
/// call is taken out, the crossing into the kernel put in, and waiting kept apart as latency.
/// </summary>
public class HonestSavingTests
{
    private const int Pid = 10;
    private const int Writer = 12;
    private const long Us = 1_000;

    private static readonly RuleCatalog Catalog = RuleCatalog.BuiltIn();

    // 1.5 µs of recorder time per call, 1 µs more for a walked stack plus 0.05 µs per frame; the way in and out costs 0.2 µs.
    private static readonly TracerCost Tracer = new(InWindowNs: 1_500, StackNs: 1_000, PerFrameNs: 50, CrossingNs: 200);

    private readonly SyscallStream _s = new SyscallStream(Pid).Thread(Writer, "writer").File(3, "/tmp/a.log");

    [Fact]
    public void The_recorders_time_per_call_and_per_frame_is_taken_out_and_the_crossing_put_in()
    {
        // 5.5 µs measured, each with a 20-frame stack walked: 5.5 - 1.5 - 1 - 20 × 0.05 + 0.2 = 2.2 µs each without the recorder.
        var stack = new CallStack(Enumerable.Range(0, 20).Select(i => new StackFrame($"F{i}", FrameKind.Framework)).ToList());
        _s.Repeat(200_000, Writer, "pwrite64", durationNs: 5_500, ret: 16, arg0: 3, stackId: 1);
        var snapshot = _s.Snapshot() with { Tracer = Tracer, Stacks = new CallStacks(new Dictionary<int, CallStack> { [1] = stack }) };

        var finding = RuleEngine.Run(Catalog, snapshot).ShouldHaveSingleItem();

        finding.RuleId.ShouldBe("ADV002");
        finding.AvoidableCalls.ShouldBe(200_000 - 49);
        finding.EstimatedSavingMs.ShouldBe((200_000 - 49) * 0.0022, 1e-6);
        finding.SavingExplanation.ShouldBe("199,951 of 200,000 calls avoidable × 2.2 µs each without the recorder (5.5 µs measured)");
        finding.BlockedMs.ShouldBeNull();
    }

    [Fact]
    public void With_sampled_stacks_only_the_sampled_calls_carry_the_walk()
    {
        // 10% of the calls had their 20-frame stack walked: 3.5 - 1.5 - 0.1 × (1 + 1) + 0.2 = 2.0 µs each.
        var stack = new CallStack(Enumerable.Range(0, 20).Select(i => new StackFrame($"F{i}", FrameKind.Framework)).ToList());
        _s.Repeat(180_000, Writer, "pwrite64", durationNs: 3_500, ret: 16, arg0: 3);
        _s.Repeat(20_000, Writer, "pwrite64", durationNs: 3_500, ret: 16, arg0: 3, stackId: 1);
        var snapshot = _s.Snapshot() with { Tracer = Tracer, Stacks = new CallStacks(new Dictionary<int, CallStack> { [1] = stack }) };

        var finding = RuleEngine.Run(Catalog, snapshot).ShouldHaveSingleItem();

        finding.EstimatedSavingMs.ShouldBe(finding.AvoidableCalls * 0.0020, 1e-6);
    }

    [Fact]
    public void A_call_measured_faster_than_the_recorders_own_time_costs_its_crossing()
    {
        _s.Repeat(200_000, Writer, "pwrite64", durationNs: 1_200, ret: 16, arg0: 3);

        var finding = RuleEngine.Run(Catalog, _s.Snapshot() with { Tracer = Tracer }).ShouldHaveSingleItem();

        finding.EstimatedSavingMs.ShouldBe((200_000 - 49) * 0.0002, 1e-6);
    }

    [Fact]
    public void Sleeping_is_latency_and_each_sleep_costs_only_its_crossing()
    {
        // Thread.Sleep(1) polling: 1,000 futex waits timing out after 1 ms, 1 s asleep in all.
        _s.Repeat(1_000, Writer, "futex", durationNs: 1_000 * Us, ret: -110);

        var finding = RuleEngine.Run(Catalog, _s.Snapshot() with { Tracer = Tracer }).ShouldHaveSingleItem();

        finding.RuleId.ShouldBe("ADV009");
        var avoidable = finding.AvoidableCalls;
        finding.BlockedMs.ShouldNotBeNull().ShouldBe(avoidable * 1.0, avoidable * 0.13);
        finding.EstimatedSavingMs.ShouldBe(avoidable * 0.0002, 1e-6);
        finding.SavingExplanation.ShouldContain("latency, not CPU");
    }

    [Fact]
    public void Short_polls_that_did_not_wait_are_work()
    {
        // poll with timeout 0 on a socket, returning at once: 3 µs of CPU each, nothing waited.
        _s.File(7, "tcp 127.0.0.1:40000 → 127.0.0.1:9000");
        _s.Repeat(100_000, Writer, "poll", durationNs: 3 * Us, ret: 0, arg0: 7);

        var finding = RuleEngine.Run(Catalog, _s.Snapshot()).ShouldHaveSingleItem();

        finding.RuleId.ShouldBe("ADV018");
        finding.BlockedMs.ShouldBeNull();
        finding.EstimatedSavingMs.ShouldBeGreaterThan(0);
    }
}
