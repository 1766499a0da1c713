namespace Advisor.Core.Targets;

/// <summary>
/// Answers what the aggregation cannot see in the syscall stream itself: what an fd refers to and what a
/// thread is called. Implemented over /proc on Linux; replayed from a recording later.
/// </summary>
public interface ITargetIntrospector
{
    /// <summary>The file path or socket endpoint behind the fd, or null when it is already closed.</summary>
    string? DescribeFd(int pid, int fd);

    /// <summary>The thread's name (comm), or null when the thread is gone.</summary>
    string? ThreadName(int pid, int tid);

    /// <summary>
    /// How the fd is open now (O_RDONLY 0, O_WRONLY 1, O_RDWR 2), or null when that cannot be told: checked
    /// against the open call that made the fd, it shows whether the fd still refers to that file.
    /// </summary>
    int? FdAccessMode(int pid, int fd) => null;

    /// <summary>
    /// Who holds a file lock on the file behind the fd, other than the process itself ("pid 4321 myapp"),
    /// or null when nobody else does or it cannot be told.
    /// </summary>
    string? LockHolder(int pid, int fd) => null;
}
