using Advisor.Core.Aggregation;
using Advisor.Core.Events;
using Advisor.Core.Monitoring;

namespace Advisor.UnitTests.Monitoring;

public class IntervalRuntimeAggregationTests
{
    private const int Pid = 10;

    private static void Emit(IRuntimeEventSink sink, RuntimeEventKind kind, int tid, long value = 0, params ulong[] stack) =>
        At(sink, 1_000, kind, tid, value, stack);

    private static void At(IRuntimeEventSink sink, long ns, RuntimeEventKind kind, int tid, long value = 0, params ulong[] stack) =>
        sink.OnRuntimeEvent(new RuntimeEvent(kind, Pid, tid, ns, value), stack);

    [Fact]
    public void Each_interval_counts_its_own_events()
    {
        var intervals = new IntervalRuntimeAggregation(new RuntimeAggregator());
        intervals.OnSessionStarted();
        Emit(intervals, RuntimeEventKind.ContentionStart, 21, 0, 0xA);
        Emit(intervals, RuntimeEventKind.ContentionStop, 21, 2_000_000);
        Emit(intervals, RuntimeEventKind.ThreadPoolWorkerStart, 31, 1);

        var (first, firstStacks) = intervals.Rotate(2_000);
        Emit(intervals, RuntimeEventKind.ContentionStart, 22, 0, 0xB);
        var (second, secondStacks) = intervals.Rotate(3_000);

        first.Contention.Count.ShouldBe(1);
        first.Contention.WaitMs.ShouldBe(2.0);
        firstStacks.FramesOf(first.Contention.Sites[0].StackId).ToArray().ShouldBe([0xAUL]);
        first.ThreadPool.WorkerStarts.ShouldBe(1);
        second.Contention.Count.ShouldBe(1);
        second.Contention.Threads.ShouldHaveSingleItem().Tid.ShouldBe(22);
        secondStacks.FramesOf(second.Contention.Sites[0].StackId).ToArray().ShouldBe([0xBUL]);
        second.ThreadPool.WorkerStarts.ShouldBe(0);
    }

    /// <summary>
    /// The pool says which threads are its workers and how many it has only when that changes: an interval that
    /// saw no change still knows them, so a worker that blocks then is still a pool worker.
    /// </summary>
    [Fact]
    public void What_is_known_of_the_pool_carries_over_to_the_next_interval()
    {
        var intervals = new IntervalRuntimeAggregation(new RuntimeAggregator());
        intervals.OnSessionStarted();
        Emit(intervals, RuntimeEventKind.ThreadPoolWorkerStart, 31, 1);
        Emit(intervals, RuntimeEventKind.ThreadPoolAdjustment, 31, 12);
        intervals.Rotate(2_000);

        Emit(intervals, RuntimeEventKind.WaitStart, 31, 0, 0xC);
        Emit(intervals, RuntimeEventKind.WaitStop, 31);
        var (next, _) = intervals.Rotate(3_000);

        next.Available.ShouldBeTrue();
        next.PoolWorkerTids.ShouldContain(31);
        next.ThreadPool.MaxWorkers.ShouldBe(12);
        next.ThreadPool.LastWorkers.ShouldBe(12);
        next.ThreadPool.Adjustments.ShouldBe(0);
        next.ThreadPool.BlockedWaits.ShouldBe(1);
    }

    /// <summary>
    /// A worker blocked across a boundary (sync over async waits for seconds) is blocked in both intervals,
    /// each charged its own part, its stack named in the second by that interval's table.
    /// </summary>
    [Fact]
    public void A_wait_under_way_at_the_boundary_is_charged_to_each_interval_for_its_part()
    {
        var intervals = new IntervalRuntimeAggregation(new RuntimeAggregator());
        intervals.OnSessionStarted();
        At(intervals, 1_000, RuntimeEventKind.ThreadPoolWorkerStart, 31, 1);
        At(intervals, 1_000_000, RuntimeEventKind.WaitStart, 31, 0, 0xC, 0xD);
        At(intervals, 1_000_000, RuntimeEventKind.ContentionStart, 32, 0, 0xE);
        var (first, _) = intervals.Rotate(5_000_000);

        At(intervals, 7_000_000, RuntimeEventKind.WaitStop, 31);
        At(intervals, 8_000_000, RuntimeEventKind.ContentionStop, 32, 7_000_000); // the runtime's length: since 1 ms
        var (second, stacks) = intervals.Rotate(9_000_000);

        first.ThreadPool.BlockedWaits.ShouldBe(0); // still blocked when it ended
        second.ThreadPool.BlockedWaits.ShouldBe(1);
        second.ThreadPool.BlockedWaitMs.ShouldBe(2.0); // from the boundary (5 ms) to 7 ms
        second.Contention.WaitMs.ShouldBe(3.0); // from 5 ms to 8 ms, not the 7 ms reported
        stacks.FramesOf(second.PoolBlockedSites.ShouldHaveSingleItem().StackId).ToArray().ShouldBe([0xCUL, 0xDUL]);
    }
}
