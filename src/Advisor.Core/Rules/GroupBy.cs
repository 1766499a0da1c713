namespace Advisor.Core.Rules;

/// <summary>What a rule counts together before testing its condition.</summary>
public enum GroupBy
{
    /// <summary>All the matching calls of the process.</summary>
    Process,

    /// <summary>Per thread.</summary>
    Thread,

    /// <summary>Per fd (a file, socket or pipe as it was when used).</summary>
    Fd,

    /// <summary>Per file, socket or pipe as described (its path or endpoint), across the fd numbers it had.</summary>
    Path,

    /// <summary>Per syscall name.</summary>
    Syscall,

    /// <summary>
    /// Per place threads waited for a lock, from the runtime's contention events (not syscall rows): a rule
    /// grouped so looks at contended Monitor/lock acquisitions, their wait time and their threads.
    /// </summary>
    LockSite,

    /// <summary>
    /// The thread pool as a whole, from the runtime's pool events and the futex waits of its workers: a rule
    /// grouped so looks at blocked workers, injected threads and the pool's growth.
    /// </summary>
    ThreadPool,
}
