namespace Advisor.Core.Hang;

/// <summary>
/// One thread as /proc shows it at one instant: what the scheduler says it is doing, and the counters that
/// tell, between two observations, whether it ran at all.
/// </summary>
/// <param name="State">Scheduler state letter: R running, S sleeping, D uninterruptible (disk), T stopped, Z zombie.</param>
/// <param name="SyscallNumber">The syscall it is blocked in; null when it is running user code or unknown.</param>
/// <param name="SyscallArgs">That syscall's six arguments (empty when none).</param>
/// <param name="Wchan">The kernel function it sleeps in ("futex_wait_queue", "wait_woken"), or empty.</param>
/// <param name="CpuMs">User + system time consumed so far, ms (in steps of the kernel's clock tick, 10 ms).</param>
/// <param name="ContextSwitches">Voluntary + involuntary context switches so far.</param>
/// <param name="LastRanNs">When it last ran on a CPU (the scheduler's exec_start, on the scheduler's own clock); null when unknown.</param>
public sealed record ThreadObservation(
    int Tid,
    string Name,
    char State,
    int? SyscallNumber,
    IReadOnlyList<ulong> SyscallArgs,
    string Wchan,
    double CpuMs,
    long ContextSwitches,
    long? LastRanNs);
