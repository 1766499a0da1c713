namespace Advisor.Core.Hang;

/// <summary>Where a thread-pool worker is, which decides whether it can take queued work.</summary>
public enum WorkerState
{
    /// <summary>Parked in the pool's own wait, no work item on its stack: free, waiting for work.</summary>
    Parked,

    /// <summary>Blocked inside a work item (a task, a lock, a socket, a sleep): held, whatever the item's code.</summary>
    Blocked,

    /// <summary>Inside a work item and running: held, but not stuck.</summary>
    Working,

    /// <summary>No managed stack could be read.</summary>
    Unknown,
}
