namespace Advisor.Core.Hang;

/// <summary>What the .NET runtime of a hung process says about itself, read once while it was paused.</summary>
/// <param name="PoolWorkers">Thread-pool worker threads (active + idle).</param>
/// <param name="PoolIdleWorkers">Workers waiting for work.</param>
/// <param name="PoolMinThreads">The pool's minimum: below it, threads are injected at once; above it, slowly.</param>
/// <param name="QueuedWorkItems">Work items waiting in the pool's queues; null when they could not be counted.</param>
public sealed record RuntimeState(
    string Version,
    IReadOnlyList<ManagedThread> Threads,
    IReadOnlyList<MonitorLock> Locks,
    int PoolWorkers,
    int PoolIdleWorkers,
    int PoolMinThreads,
    long? QueuedWorkItems);
