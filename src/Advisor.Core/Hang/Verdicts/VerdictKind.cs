namespace Advisor.Core.Hang.Verdicts;

/// <summary>What the triage concludes about the process as a whole, most serious first.</summary>
public enum VerdictKind
{
    /// <summary>Threads wait on each other in a cycle of locks.</summary>
    Deadlock,

    /// <summary>Pool workers are all blocked, so queued work never runs.</summary>
    ThreadPoolStarvation,

    /// <summary>Application threads wait in I/O that does not come back (no timeout).</summary>
    BlockedOnIo,

    /// <summary>Not hung: threads are on the CPU.</summary>
    Busy,

    /// <summary>Not hung: nothing runs and nothing is stuck; the process waits for work.</summary>
    Idle,
}
