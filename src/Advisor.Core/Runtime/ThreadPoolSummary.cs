namespace Advisor.Core.Runtime;

/// <summary>The thread pool's activity: its size over the recording and the work that went through it.</summary>
/// <param name="MaxWorkers">Most active workers reported at once.</param>
/// <param name="Adjustments">Worker-count changes (hill climbing and starvation injection).</param>
public sealed record ThreadPoolSummary(
    int MaxWorkers,
    int LastWorkers,
    long Adjustments,
    long WorkerStarts,
    long WorkerStops,
    long Enqueued,
    long Dequeued,
    long IoEnqueued,
    long IoDequeued)
{
    public static ThreadPoolSummary Empty { get; } = new(0, 0, 0, 0, 0, 0, 0, 0, 0);
}
