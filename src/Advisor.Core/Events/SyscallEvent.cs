namespace Advisor.Core.Events;

/// <summary>
/// One completed system call: enter and exit already paired. Kept a small struct passed by <c>in</c>
/// because millions of these flow per second from a source into the aggregation.
/// </summary>
/// <param name="Pid">Process (thread group) id.</param>
/// <param name="Tid">Thread id.</param>
/// <param name="Number">Syscall number of the recording's architecture.</param>
/// <param name="StartNs">CLOCK_MONOTONIC time of entry, in nanoseconds.</param>
/// <param name="DurationNs">Time from entry to exit, in nanoseconds.</param>
/// <param name="Return">Raw return value; -4095..-1 is a failure with errno = -Return.</param>
/// <param name="Arg0">First argument (the fd of fd-based calls).</param>
/// <param name="Arg1">Second argument.</param>
/// <param name="Arg2">Third argument (the requested size of read/write calls).</param>
/// <param name="StackId">The caller's stack in the recording's <c>StackTable</c>; 0 when not recorded.</param>
public readonly record struct SyscallEvent(
    int Pid,
    int Tid,
    int Number,
    long StartNs,
    long DurationNs,
    long Return,
    ulong Arg0,
    ulong Arg1,
    ulong Arg2,
    int StackId = 0)
{
    /// <summary>The kernel's convention: returns in [-4095, -1] are negated errno values.</summary>
    public bool Failed => Return is < 0 and >= -4095;

    public int Errno => Failed ? (int)-Return : 0;
}
