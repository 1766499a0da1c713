using System.Runtime.InteropServices;

namespace Advisor.Linux.Native;

/// <summary>
/// A process's exit through a pidfd (Linux 5.3+): the fd polls readable once the process has exited, whether it
/// is our child or not, and nothing wakes the waiter before then.
/// </summary>
internal static unsafe class PidFd
{
    private const int PidfdOpen = 434; // the same number on x86_64 and arm64

    /// <summary>A pidfd for the process, or -1 with errno set (ESRCH: it is gone; ENOSYS: a kernel before 5.3).</summary>
    public static int Open(int pid) => (int)LibC.Syscall(PidfdOpen, (void*)pid, 0, 0, 0, 0);

    /// <summary>Blocks until one of the fds polls readable: the process exited, or an eventfd beside it was signalled.</summary>
    public static void WaitReadable(ReadOnlySpan<int> fds)
    {
        var polls = stackalloc LibC.PollFd[fds.Length];
        for (var i = 0; i < fds.Length; i++)
        {
            polls[i] = new LibC.PollFd { Fd = fds[i], Events = LibC.PollIn };
        }

        while (LibC.Poll(polls, (ulong)fds.Length, -1) < 0 && Marshal.GetLastPInvokeError() == LibC.Eintr)
        {
        }
    }

    /// <summary>
    /// Completes when the process behind <paramref name="pidfd"/> exits, or when <paramref name="stop"/> is
    /// cancelled; closes the pidfd then. The wait is a thread of its own blocked in poll(2) (an eventfd wakes it
    /// on cancellation): the thread pool has no way to wait on an arbitrary fd.
    /// </summary>
    public static Task WaitForExitAsync(int pidfd, CancellationToken stop)
    {
        var cancel = stop.CanBeCanceled ? WakeEvent.Create() : null;
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        new Thread(() =>
        {
            try
            {
                using (stop.Register(() => cancel?.Set()))
                {
                    if (!stop.IsCancellationRequested)
                    {
                        WaitReadable(cancel is not { Fd: >= 0 } ? [pidfd] : [pidfd, cancel.Fd]);
                    }
                }
            }
            finally
            {
                _ = LibC.Close(pidfd);
                cancel?.Dispose();
                done.SetResult();
            }
        })
        { IsBackground = true, Name = "advisor exit wait" }.Start();
        return done.Task;
    }
}
