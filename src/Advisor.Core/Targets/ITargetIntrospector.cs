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
}
