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

    /// <summary>Per syscall name (in each process).</summary>
    Syscall,

    /// <summary>
    /// Per call site: the first application frame of the stack that made most of each (thread, syscall, fd)'s
    /// calls, in each process. One place in the code is one finding, across the files and threads it touched
    /// (SQLite's database, journal and directory syncs from one insert loop). Calls with no application frame
    /// (or no stacks) form one group per process: one library or runtime cause.
    /// </summary>
    Site,

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

    /// <summary>
    /// Per server this process talks to as a client (its endpoint, per program), across the connections to it:
    /// the socket calls with their conversations (round trips, waits for answers), for the round-trip rule.
    /// </summary>
    Peer,
}
