namespace Advisor.Core.Runtime;

/// <summary>The thread pool's activity: its size over the recording and the work that went through it.</summary>
/// <param name="MaxWorkers">Most active workers reported at once.</param>
/// <param name="Adjustments">Worker-count changes (hill climbing, starvation and blocking injection).</param>
/// <param name="Enqueued">Work items queued, one event each: only when those events were asked for (they cost
/// two events per work item, so by default they are not), else null.</param>
/// <param name="Dequeued">Work items taken by workers, as <paramref name="Enqueued"/>.</param>
/// <param name="BlockedWaits">Blocking waits (wait handles, Monitor.Wait, Task.Wait) made on pool workers.</param>
/// <param name="BlockedWaitMs">How long those waits blocked their workers, summed.</param>
/// <param name="WorkItems">Work items completed, counted by the pool's hill climbing: the sum of its samples'
/// throughput × duration. Its first sample may have begun before the recording and work done after its last
/// sample is not counted, so this is close to the count, not exact.</param>
/// <param name="StarvationInjections">Workers added because queued work made no progress.</param>
/// <param name="BlockingInjections">Workers added because a worker blocked in Task.Wait or .Result.</param>
public sealed record ThreadPoolSummary(
    int MaxWorkers,
    int LastWorkers,
    long Adjustments,
    long WorkerStarts,
    long WorkerStops,
    long? Enqueued,
    long? Dequeued,
    long IoEnqueued,
    long IoDequeued,
    long BlockedWaits = 0,
    double BlockedWaitMs = 0,
    long WorkItems = 0,
    long StarvationInjections = 0,
    long BlockingInjections = 0)
{
    public static ThreadPoolSummary Empty { get; } = new(0, 0, 0, 0, 0, null, null, 0, 0);
}
