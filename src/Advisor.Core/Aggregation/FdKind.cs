namespace Advisor.Core.Aggregation;

/// <summary>
/// What kind of thing an fd refers to, as its description tells (see <see cref="FdKinds.Of"/>): advice written
/// for a regular file is wrong for a directory, a socket or a pipe, so rules pick advice by it.
/// </summary>
public enum FdKind
{
    /// <summary>No fd (the calls take none), or one whose description says nothing of its kind.</summary>
    None,
    File,
    Directory,
    Socket,
    Pipe,
    Terminal,
    Device,

    /// <summary>The kernel's event fds (anon_inode: eventfd, epoll, timerfd, signalfd, inotify).</summary>
    Event,
}
