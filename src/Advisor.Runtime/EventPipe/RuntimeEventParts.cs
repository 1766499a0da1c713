namespace Advisor.Runtime.EventPipe;

/// <summary>
/// The parts of what the runtime is asked for, each a group of events a rule or the report reads. What is
/// not asked for costs nothing: the target does not write it and the tool does not parse it.
/// </summary>
[Flags]
public enum RuntimeEventParts
{
    None = 0,

    /// <summary>MethodLoadVerbose while recording: names code compiled after the attach (tier-ups too), even
    /// in a process that exits before its rundown.</summary>
    Jit = 1 << 0,

    /// <summary>GCStart/GCStop: collections by generation.</summary>
    Gc = 1 << 1,

    /// <summary>ExceptionThrown.</summary>
    Exceptions = 1 << 2,

    /// <summary>The pool's own events (Threading keyword): workers started, retired and parked, the hill
    /// climbing's adjustments and samples. A few a second, whatever the load.</summary>
    ThreadPool = 1 << 3,

    /// <summary>FrameworkEventSource's ThreadPoolEnqueueWork/DequeueWork: two events per work item, a cost
    /// proportional to the load — on a busy service most of the tool's own CPU. Off by default: the pool's own
    /// events say what the rules need (bench/RESULTS.md, issue 15 section, web service).</summary>
    WorkItems = 1 << 4,

    /// <summary>ASP.NET Core's hosting counters: a sample every half second.</summary>
    Requests = 1 << 5,

    /// <summary>The second session: lock contention, with the stack of the thread that waits.</summary>
    Contention = 1 << 6,

    /// <summary>WaitHandleWaitStart/Stop in the contention session (.NET 9+): blocking waits and their stacks.</summary>
    Waits = 1 << 7,

    Default = Jit | Gc | Exceptions | ThreadPool | Requests | Contention | Waits,

    All = Default | WorkItems,
}
