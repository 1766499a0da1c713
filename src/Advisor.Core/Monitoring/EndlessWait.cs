namespace Advisor.Core.Monitoring;

/// <summary>
/// Whether a thread sits in a wait that will not end by itself: a futex wait with no timeout (how Monitor.Enter,
/// Task.Wait and a parked lock wait), a read of a socket or pipe, a blocking file lock. Timed waits (Thread.Sleep,
/// a parked pool worker's 20 s wait, timers) and the event loops of idle services (epoll_wait, poll, accept) are
/// how healthy processes wait for work, so they never make a hang suspect.
/// </summary>
public static class EndlessWait
{
    private const ulong FutexPrivate = 128;
    private const ulong FutexClockRealtime = 256;
    private const ulong FutexWait = 0;
    private const ulong FutexLockPi = 6;
    private const ulong FutexWaitBitset = 9;
    private const ulong FutexWaitRequeuePi = 11;
    private const ulong FutexLockPi2 = 13;
    private const ulong LockNonBlocking = 4;
    private const ulong FcntlSetLockWait = 7;
    private const ulong FcntlOfdSetLockWait = 38;

    private static readonly HashSet<string> Reads = ["read", "readv", "recvfrom", "recvmsg", "recvmmsg"];

    /// <param name="syscall">The syscall's name, as the syscall table spells it.</param>
    /// <param name="args">Its six arguments, as /proc/PID/task/TID/syscall shows them.</param>
    public static bool Is(string syscall, IReadOnlyList<ulong> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args.Count < 4)
        {
            return false;
        }

        return syscall switch
        {
            "futex" => (args[1] & ~(FutexPrivate | FutexClockRealtime)) is FutexWait or FutexLockPi or FutexWaitBitset or FutexWaitRequeuePi or FutexLockPi2
                && args[3] == 0, // the timeout's address: none, the wait lasts until woken
            "flock" => (args[1] & LockNonBlocking) == 0,
            "fcntl" => args[1] is FcntlSetLockWait or FcntlOfdSetLockWait,
            _ => Reads.Contains(syscall),
        };
    }
}
