using Advisor.Core.Aggregation;
using Advisor.Core.Stacks;
using Advisor.Core.Threads;

namespace Advisor.Core.Rules.Metrics;

/// <summary>
/// The thread pool as one group: <c>count</c> blocking waits made on pool workers, <c>totalMs</c> they
/// blocked, <c>wallShare</c> (blocked / recording, summed over workers), <c>poolWorkers</c>,
/// <c>workerStarts</c>, <c>starvationInjections</c> and <c>blockingInjections</c> (why the pool grew),
/// <c>workItems</c>, <c>cores</c>, <c>threads</c> (workers seen); stacks from the runtime's wait events on
/// pool workers that block in a wait API called from application code — where the pool got blocked.
/// </summary>
internal static class ThreadPoolGroups
{
    private static readonly string[] BlockingWaits =
    [
        "System.Threading.Tasks.Task.Wait", "System.Threading.Tasks.Task.InternalWait", "System.Threading.Tasks.Task`1.get_Result",
        "System.Runtime.CompilerServices.TaskAwaiter", "System.Threading.ManualResetEventSlim.Wait", "System.Threading.SemaphoreSlim.Wait",
        "System.Threading.Monitor.Wait", "System.Threading.WaitHandle.WaitOne",
    ];

    public static IReadOnlyList<MetricGroup> Build(AggregateSnapshot snapshot)
    {
        var runtime = snapshot.Runtime;
        if (!runtime.Available)
        {
            return [];
        }

        var pool = runtime.ThreadPool;
        var seconds = snapshot.DurationSeconds;
        var workers = snapshot.Threads.Count(t => t.Role == ThreadRole.ThreadPoolWorker);

        // Where workers blocked, weighted by the time they blocked there, not by how often.
        var blocked = runtime.PoolBlockedSites.Where(s => IsBlockingWait(runtime.Stacks[s.StackId])).ToList();
        var threadCounts = blocked.SelectMany(s => s.Tids).GroupBy(t => t).Select(g => (g.Key, (long)g.Count())).OrderByDescending(t => t.Item2).ToList();
        return
        [
            MetricGroupBuilder.FromRuntime(
                snapshot,
                metrics =>
                {
                    metrics[Metric.Count] = pool.BlockedWaits;
                    metrics[Metric.TotalMs] = pool.BlockedWaitMs;
                    metrics[Metric.AvgUs] = pool.BlockedWaits == 0 ? 0 : pool.BlockedWaitMs * 1e3 / pool.BlockedWaits;
                    metrics[Metric.Rate] = seconds <= 0 ? 0 : pool.BlockedWaits / seconds;
                    metrics[Metric.WallShare] = seconds <= 0 ? 0 : pool.BlockedWaitMs / 1e3 / seconds;
                    metrics[Metric.Threads] = workers;
                    metrics[Metric.PoolWorkers] = pool.MaxWorkers;
                    metrics[Metric.WorkerStarts] = pool.WorkerStarts;
                    metrics[Metric.StarvationInjections] = pool.StarvationInjections;
                    metrics[Metric.BlockingInjections] = pool.BlockingInjections;
                    metrics[Metric.WorkItems] = pool.WorkItems;
                },
                "(thread pool)",
                threadCounts,
                (blocked.Select(s => s.AsStackCount).ToList(), runtime.Stacks)),
        ];
    }

    /// <summary>A wait API called from application code: a Task.Wait or .Result in a handler, not the pool's own parking.</summary>
    private static bool IsBlockingWait(CallStack stack) =>
        stack.CallSite is not null && stack.Frames.Any(f => BlockingWaits.Any(w => f.Name.StartsWith(w, StringComparison.Ordinal)));
}
