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

    private const long Second = 1_000_000_000;

    /// <summary>
    /// A paused window is judged from events EventPipe hands over late: its last request samples come after the
    /// pause, and the runtime's events of the pause come before the judgment. Filed by their own time, the window
    /// counts the requests it served and nothing of the pause (the soak's false ADV001 counted a quarter of them).
    /// </summary>
    [Fact]
    public void An_ended_interval_takes_its_late_samples_and_leaves_what_came_after_its_end_to_the_next()
    {
        var intervals = new IntervalRuntimeAggregation(new RuntimeAggregator());
        intervals.OnSessionStarted();
        intervals.Rotate(10 * Second); // the window starts at 10 s
        At(intervals, 9_800_000_000, RuntimeEventKind.RequestsTotal, 1, 980); // 100 requests a second throughout
        At(intervals, 10_300_000_000, RuntimeEventKind.RequestsTotal, 1, 1_030);

        intervals.End(11 * Second); // paused
        var caughtUp = intervals.SampledPastEnd;
        At(intervals, 10_800_000_000, RuntimeEventKind.RequestsTotal, 1, 1_080); // late, from before the pause
        At(intervals, 11_200_000_000, RuntimeEventKind.ContentionStart, 21, 0, 0xA); // in the pause
        caughtUp.IsCompleted.ShouldBeFalse();
        At(intervals, 11_300_000_000, RuntimeEventKind.RequestsTotal, 1, 1_130);
        caughtUp.IsCompleted.ShouldBeTrue();

        var (window, _) = intervals.Rotate(11 * Second);
        window.Requests.Over(10 * Second, 11 * Second).ShouldBe(100, 1e-6);
        window.Contention.Count.ShouldBe(0);

        var (pause, _) = intervals.Rotate(12 * Second);
        pause.Contention.Count.ShouldBe(1);
        pause.Requests.Over(11 * Second, 12 * Second).ShouldBe(100, 1e-6); // from the last sample before its start on
    }

    /// <summary>Only a server sends request samples: for any other process a paused window is judged at once.</summary>
    [Fact]
    public void A_process_that_sends_no_request_samples_is_not_waited_for()
    {
        var intervals = new IntervalRuntimeAggregation(new RuntimeAggregator());
        intervals.OnSessionStarted();
        At(intervals, 1_000, RuntimeEventKind.ContentionStart, 21, 0, 0xA);

        intervals.End(2 * Second);

        intervals.SampledPastEnd.IsCompleted.ShouldBeTrue();
    }

    /// <summary>An interval handed back is not waited for any longer, whatever came.</summary>
    [Fact]
    public void Rotating_ends_the_wait_for_a_sample()
    {
        var intervals = new IntervalRuntimeAggregation(new RuntimeAggregator());
        intervals.OnSessionStarted();
        At(intervals, Second, RuntimeEventKind.RequestsTotal, 1, 10);
        intervals.End(2 * Second);
        var caughtUp = intervals.SampledPastEnd;

        intervals.Rotate(2 * Second);

        caughtUp.IsCompleted.ShouldBeTrue();
        intervals.SampledPastEnd.IsCompleted.ShouldBeTrue();
    }
}
