namespace Advisor.Core.Runtime;

/// <summary>The thread pool's activity: its size over the recording and the work that went through it.</summary>
/// <param name="MaxWorkers">Most active workers reported at once.</param>
/// <param name="Adjustments">Worker-count changes (hill climbing and starvation injection).</param>
/// <param name="BlockedWaits">Blocking waits (wait handles, Monitor.Wait, Task.Wait) made on pool workers.</param>
/// <param name="BlockedWaitMs">How long those waits blocked their workers, summed.</param>
public sealed record ThreadPoolSummary(
    int MaxWorkers,
    int LastWorkers,
    long Adjustments,
    long WorkerStarts,
    long WorkerStops,
    long Enqueued,
    long Dequeued,
    long IoEnqueued,
    long IoDequeued,
    long BlockedWaits = 0,
    double BlockedWaitMs = 0)
{
    public static ThreadPoolSummary Empty { get; } = new(0, 0, 0, 0, 0, 0, 0, 0, 0);
}
