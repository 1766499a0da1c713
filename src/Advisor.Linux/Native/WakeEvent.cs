namespace Advisor.Linux.Native;

/// <summary>
/// An eventfd that wakes a thread blocked in poll(2) on other fds: put <see cref="Fd"/> beside them, <see cref="Set"/>
/// from another thread, and <see cref="Reset"/> once woken. Poll has no other way to be interrupted short of a signal.
/// </summary>
internal sealed unsafe class WakeEvent : IDisposable
{
    private const int EfdNonblock = 0x800; // O_NONBLOCK; both flags the same on x86_64 and arm64
    private const int EfdCloexec = 0x80000; // O_CLOEXEC

    private int _fd;

    private WakeEvent(int fd) => _fd = fd;

    /// <summary>The eventfd, polls readable once set; -1 when none could be had (then <see cref="Set"/> does nothing).</summary>
    public int Fd => _fd;

    /// <summary>A new event, not set; its <see cref="Fd"/> is -1 if the process is out of fds.</summary>
    public static WakeEvent Create() => new(LibC.EventFd(0, EfdNonblock | EfdCloexec));

    public void Set()
    {
        var fd = Volatile.Read(ref _fd);
        if (fd >= 0)
        {
            var one = 1UL;
            _ = LibC.Write(fd, &one, sizeof(ulong));
        }
    }

    /// <summary>Clears the event (reads its count, without blocking: it is non-blocking).</summary>
    public void Reset()
    {
        if (_fd >= 0)
        {
            ulong count;
            _ = LibC.Read(_fd, &count, sizeof(ulong));
        }
    }

    public void Dispose()
    {
        var fd = Interlocked.Exchange(ref _fd, -1);
        if (fd >= 0)
        {
            _ = LibC.Close(fd);
        }
    }
}
