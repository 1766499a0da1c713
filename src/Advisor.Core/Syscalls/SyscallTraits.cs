namespace Advisor.Core.Syscalls;

/// <summary>What a syscall means to the analysis, independent of its number on any architecture.</summary>
[Flags]
public enum SyscallTraits
{
    None = 0,

    /// <summary>The first argument is a file descriptor the call acts on.</summary>
    FdArg0 = 1 << 0,

    /// <summary>Moves data out of the process; a non-negative return is the byte count.</summary>
    Write = 1 << 1,

    /// <summary>Moves data into the process; a non-negative return is the byte count.</summary>
    Read = 1 << 2,

    /// <summary>The return value counts bytes (not messages or entries).</summary>
    ReturnsBytes = 1 << 3,

    /// <summary>Forces data to stable storage.</summary>
    Sync = 1 << 4,

    /// <summary>Ends the fd in argument 0, so its number may be reused for something else.</summary>
    ClosesArg0 = 1 << 5,

    /// <summary>Replaces whatever the fd in argument 1 referred to (dup2, dup3).</summary>
    ReplacesArg1 = 1 << 6,

    /// <summary>Closes the fds from argument 0 to argument 1 (close_range).</summary>
    ClosesRange = 1 << 7,

    /// <summary>Replaces the program image; close-on-exec fds are gone afterwards.</summary>
    Exec = 1 << 8,

    /// <summary>Returns a new fd, opened with the flags in argument 1 (open).</summary>
    OpensFlagsArg1 = 1 << 9,

    /// <summary>Returns a new fd, opened with the flags in argument 2 (openat).</summary>
    OpensFlagsArg2 = 1 << 10,

    /// <summary>Maps, protects, advises on or unmaps the memory range whose length is argument 1.</summary>
    MapsLengthArg1 = 1 << 11,

    /// <summary>Argument 2 is a protection (mmap, mprotect): PROT_NONE reserves or fences, it commits nothing.</summary>
    ProtectionArg2 = 1 << 12,

    /// <summary>Argument 2 is madvise advice: only some advice gives memory back.</summary>
    AdviceArg2 = 1 << 13,

    /// <summary>Connects the socket in argument 0: what the fd refers to (its peer) changes.</summary>
    Connects = 1 << 14,

    /// <summary>Returns a new socket fd (socket, accept, accept4).</summary>
    ReturnsSocket = 1 << 15,

    /// <summary>
    /// How many of these calls a program makes follows the scheduler's timing, not the work it does: waits,
    /// yields, sleeps and event polling (a spin that yields 1 time on an idle machine yields 500 on a busy one).
    /// Regression gates leave them out; rules and budgets still see them.
    /// </summary>
    TimingDependent = 1 << 16,

    /// <summary>
    /// Waits for something outside the call, as its way of working: a lock's holder, a timer, a child, a peer
    /// (futex, sleeps, polls, accept, flock, wait4). Time spent so is latency, not work: a fix gives it back to
    /// the waiter's clock, not to the CPU. (Reads wait too, on sockets and pipes: the rules tell those by fd.)
    /// </summary>
    Waits = 1 << 17,

    /// <summary>Returns a socket a peer connected to (accept, accept4): this process answers on it.</summary>
    Accepts = 1 << 18,
}
