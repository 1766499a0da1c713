using Advisor.Core.Aggregation;
using Advisor.Core.Correlation;
using Advisor.Core.Events;
using Advisor.Core.Stacks;
using Advisor.Core.Threads;
using Advisor.UnitTests.Aggregation;
using Advisor.UnitTests.Stacks;

namespace Advisor.UnitTests.Runtime;

public class RuntimeAggregatorTests
{
    private const int Pid = 10;

    private static void Emit(RuntimeAggregator aggregator, RuntimeEventKind kind, int tid, long value = 0, params ulong[] stack) =>
        aggregator.OnRuntimeEvent(new RuntimeEvent(kind, Pid, tid, 1_000, value), stack);

    [Fact]
    public void Without_a_session_there_is_no_runtime_data()
    {
        new RuntimeAggregator().Snapshot().Available.ShouldBeFalse();

        var started = new RuntimeAggregator();
        started.OnSessionStarted();
        started.Snapshot().Available.ShouldBeTrue();
    }

    [Fact]
    public void Contention_is_counted_per_thread_and_per_stack_with_its_wait_time()
    {
        var aggregator = new RuntimeAggregator();
        Emit(aggregator, RuntimeEventKind.ContentionStart, 21, 0, 0xA, 0xB);
        Emit(aggregator, RuntimeEventKind.ContentionStop, 21, 2_000_000);
        Emit(aggregator, RuntimeEventKind.ContentionStart, 21, 0, 0xA, 0xB);
        Emit(aggregator, RuntimeEventKind.ContentionStop, 21, 1_000_000);
        Emit(aggregator, RuntimeEventKind.ContentionStart, 22, 0, 0xC);

        var contention = aggregator.Snapshot().Contention;

        contention.Count.ShouldBe(3);
        contention.WaitMs.ShouldBe(3.0);
        contention.Threads[0].ShouldBe(new Advisor.Core.Runtime.ThreadContention(21, 2, 3.0));
        contention.Sites.Select(s => (s.Count, s.WaitMs)).ShouldBe([(2L, 3.0), (1L, 0.0)]);
        contention.Sites[0].Tids.ShouldBe([21]);
        aggregator.Stacks.FramesOf(contention.Sites[0].StackId).ToArray().ShouldBe([0xAUL, 0xBUL]);
    }

    [Fact]
    public void Thread_pool_events_give_its_size_its_work_and_its_workers()
    {
        var aggregator = new RuntimeAggregator();
        Emit(aggregator, RuntimeEventKind.ThreadPoolWorkerStart, 31, 1);
        Emit(aggregator, RuntimeEventKind.ThreadPoolWorkerStart, 32, 2);
        Emit(aggregator, RuntimeEventKind.ThreadPoolAdjustment, 31, 5);
        Emit(aggregator, RuntimeEventKind.ThreadPoolEnqueue, 1);
        Emit(aggregator, RuntimeEventKind.ThreadPoolEnqueue, 1);
        Emit(aggregator, RuntimeEventKind.ThreadPoolDequeue, 33);
        Emit(aggregator, RuntimeEventKind.ThreadPoolWorkerWait, 32, 3);
        Emit(aggregator, RuntimeEventKind.GcStart, 1, 2);

        var snapshot = aggregator.Snapshot();

        snapshot.ThreadPool.MaxWorkers.ShouldBe(5);
        snapshot.ThreadPool.LastWorkers.ShouldBe(3);
        snapshot.ThreadPool.Adjustments.ShouldBe(1);
        snapshot.ThreadPool.Enqueued.ShouldBe(2);
        snapshot.ThreadPool.Dequeued.ShouldBe(1);
        snapshot.PoolWorkerTids.Order().ShouldBe([31, 32, 33]);
        snapshot.Gc.Gen2.ShouldBe(1);
        snapshot.CountOf(RuntimeEventKind.ThreadPoolEnqueue).ShouldBe(2);
    }

    [Fact]
    public void Without_the_per_item_events_work_items_come_from_the_hill_climbing_samples_and_enqueued_is_unknown()
    {
        var aggregator = new RuntimeAggregator();
        Emit(aggregator, RuntimeEventKind.ThreadPoolSample, 31, 1_200);
        Emit(aggregator, RuntimeEventKind.ThreadPoolSample, 32, 800);

        var pool = aggregator.Snapshot().ThreadPool;

        pool.WorkItems.ShouldBe(2_000);
        pool.Enqueued.ShouldBeNull();
        pool.Dequeued.ShouldBeNull();
    }

    [Fact]
    public void When_the_per_item_events_were_asked_for_none_is_a_count_of_zero()
    {
        var aggregator = new RuntimeAggregator { CountsWorkItems = true };
        aggregator.OnSessionStarted();

        var pool = aggregator.Snapshot().ThreadPool;

        pool.Enqueued.ShouldBe(0);
        pool.Dequeued.ShouldBe(0);
    }

    [Fact]
    public void Injections_count_the_adjustments_that_added_workers_for_starvation_or_blocking()
    {
        var aggregator = new RuntimeAggregator();
        Emit(aggregator, RuntimeEventKind.ThreadPoolWorkerStart, 31, 2);
        // Each reason comes just before its adjustment, as the router sends them.
        void Adjust(RuntimeEventKind? reason, int workers)
        {
            if (reason is { } kind)
            {
                Emit(aggregator, kind, 0, workers);
            }

            Emit(aggregator, RuntimeEventKind.ThreadPoolAdjustment, 0, workers);
        }

        Adjust(RuntimeEventKind.ThreadPoolBlockingInjection, 3);
        Adjust(RuntimeEventKind.ThreadPoolBlockingInjection, 4);
        Adjust(RuntimeEventKind.ThreadPoolBlockingInjection, 3); // a wait ended: the pool takes one back
        Adjust(RuntimeEventKind.ThreadPoolStarvation, 4);
        Adjust(null, 5); // hill climbing

        var pool = aggregator.Snapshot().ThreadPool;

        pool.BlockingInjections.ShouldBe(2);
        pool.StarvationInjections.ShouldBe(1);
        pool.Adjustments.ShouldBe(5);
        pool.MaxWorkers.ShouldBe(5);
    }

    [Fact]
    public void A_thread_named_as_a_pool_worker_has_its_waits_counted_before_the_pool_events_show_it_and_is_asked_once()
    {
        var asked = new List<int>();
        var aggregator = new RuntimeAggregator((pid, tid) =>
        {
            asked.Add(tid);
            return tid == 41;
        });
        for (var i = 0; i < 3; i++)
        {
            aggregator.OnRuntimeEvent(new RuntimeEvent(RuntimeEventKind.WaitStart, Pid, 41, 1_000_000), [0xD0]);
            aggregator.OnRuntimeEvent(new RuntimeEvent(RuntimeEventKind.WaitStop, Pid, 41, 11_000_000), []);
            aggregator.OnRuntimeEvent(new RuntimeEvent(RuntimeEventKind.WaitStart, Pid, 42, 1_000_000), [0xE0]);
            aggregator.OnRuntimeEvent(new RuntimeEvent(RuntimeEventKind.WaitStop, Pid, 42, 11_000_000), []);
        }

        var snapshot = aggregator.Snapshot();

        snapshot.ThreadPool.BlockedWaits.ShouldBe(3);
        snapshot.PoolBlockedSites.ShouldHaveSingleItem().Tids.ShouldBe([41]);
        snapshot.PoolWorkerTids.ShouldBe([41]);
        asked.ShouldBe([41, 42]);
    }

    [Fact]
    public void Blocking_waits_on_pool_workers_are_timed_and_placed_and_other_threads_waits_are_not()
    {
        var aggregator = new RuntimeAggregator();
        Emit(aggregator, RuntimeEventKind.ThreadPoolWorkerStart, 31, 1);
        aggregator.OnRuntimeEvent(new RuntimeEvent(RuntimeEventKind.WaitStart, Pid, 31, 1_000_000), [0xD0, 0xD1]);
        aggregator.OnRuntimeEvent(new RuntimeEvent(RuntimeEventKind.WaitStop, Pid, 31, 51_000_000), []);
        aggregator.OnRuntimeEvent(new RuntimeEvent(RuntimeEventKind.WaitStart, Pid, 99, 1_000_000), [0xE0]);
        aggregator.OnRuntimeEvent(new RuntimeEvent(RuntimeEventKind.WaitStop, Pid, 99, 900_000_000), []);

        var snapshot = aggregator.Snapshot();

        snapshot.ThreadPool.BlockedWaits.ShouldBe(1);
        snapshot.ThreadPool.BlockedWaitMs.ShouldBe(50.0);
        var site = snapshot.PoolBlockedSites.ShouldHaveSingleItem();
        site.WaitMs.ShouldBe(50.0);
        site.Tids.ShouldBe([31]);
        aggregator.Stacks.FramesOf(site.StackId).ToArray().ShouldBe([0xD0UL, 0xD1UL]);
    }

    [Fact]
    public void Correlation_names_stacks_and_makes_pool_workers_of_threads_the_runtime_used_so()
    {
        var stream = new SyscallStream(Pid).Thread(33, "worker-renamed");
        stream.Call(33, "write", 100, 1_000, 16);
        var runtime = new RuntimeAggregator();
        Emit(runtime, RuntimeEventKind.ThreadPoolDequeue, 33);
        Emit(runtime, RuntimeEventKind.ContentionStart, 33, 0, 0x50);

        var joined = Correlator.Join(stream.Snapshot(), new StackTable(), runtime.Snapshot(), runtime.Stacks, new TableSymbolizer());

        joined.ThreadsByTid[33].Role.ShouldBe(ThreadRole.ThreadPoolWorker);
        var contention = joined.Runtime.Contention.Sites.ShouldHaveSingleItem();
        joined.Runtime.Stacks[contention.StackId].Frames[0].Name.ShouldBe("M50");
    }
}
