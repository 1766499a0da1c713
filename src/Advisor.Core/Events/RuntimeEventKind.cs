namespace Advisor.Core.Events;

/// <summary>The .NET runtime events the advisor folds (a subset of Microsoft-Windows-DotNETRuntime).</summary>
public enum RuntimeEventKind : byte
{
    /// <summary>A thread found a lock taken and is about to wait for it (carries the stack).</summary>
    ContentionStart,

    /// <summary>The wait ended; Value is its duration in ns (0 where the runtime does not say).</summary>
    ContentionStop,

    /// <summary>A thread-pool worker started; Value is the number of active workers.</summary>
    ThreadPoolWorkerStart,

    ThreadPoolWorkerStop,

    /// <summary>A worker found no work and parks; Value is the number of active workers.</summary>
    ThreadPoolWorkerWait,

    /// <summary>The hill-climbing (or starvation) logic changed the worker count; Value is the new count.</summary>
    ThreadPoolAdjustment,

    ThreadPoolEnqueue,
    ThreadPoolDequeue,
    ThreadPoolIoEnqueue,
    ThreadPoolIoDequeue,

    /// <summary>A garbage collection started; Value is its generation.</summary>
    GcStart,

    GcEnd,

    ExceptionThrown,

    /// <summary>A thread blocks on a wait handle or monitor (.NET 9+); Value is the wait source.</summary>
    WaitStart,

    WaitStop,

    /// <summary>
    /// ASP.NET Core's hosting counters, sampled every half second: Value is the requests started since the process
    /// began (<c>total-requests</c>).
    /// </summary>
    RequestsTotal,

    /// <summary>Requests in flight at the counter's sample (<c>current-requests</c>).</summary>
    RequestsInFlight,

    // Appended: recordings store kinds by value.

    /// <summary>
    /// The pool changed its worker count because queued work made no progress (an adjustment with reason
    /// Starvation, by its gate thread); Value is the new count. Comes just before its <see cref="ThreadPoolAdjustment"/>.
    /// </summary>
    ThreadPoolStarvation,

    /// <summary>
    /// The pool changed its worker count for workers blocked in a wait it is told of — Task.Wait, .Result (an
    /// adjustment with reason CooperativeBlocking): up as they block, down as they return. Value is the new
    /// count. Comes just before its <see cref="ThreadPoolAdjustment"/>.
    /// </summary>
    ThreadPoolBlockingInjection,

    /// <summary>
    /// One sample of the pool's hill climbing (its Stats event): Value is the work items completed during the
    /// sample, its throughput × its duration. Samples follow one another, so their sum counts the work.
    /// </summary>
    ThreadPoolSample,
}
