namespace Advisor.Core.Targets;

/// <summary>
/// Answers what the aggregation cannot see in the syscall stream itself: what an fd refers to and what a
/// thread is called. Implemented over /proc on Linux; replayed from a recording later.
/// </summary>
public interface ITargetIntrospector
{
    /// <summary>The file path or socket endpoint behind the fd, or null when it is already closed.</summary>
    string? DescribeFd(int pid, int fd);

    /// <summary>
    /// <see cref="DescribeFd"/> for an fd whose number no call seen since the recording began has opened or closed:
    /// what it was then, where the introspector read the target's fd table at the start. A drain that lags behind
    /// the target may otherwise ask /proc after the program closed the number and reused it for another file.
    /// </summary>
    string? DescribeFdOpenAtStart(int pid, int fd) => DescribeFd(pid, fd);

    /// <summary>The thread's name (comm), or null when the thread is gone.</summary>
    string? ThreadName(int pid, int tid);

    /// <summary>
    /// Whether the fd (a socket <see cref="DescribeFd"/> just described) exists because the target is observed: the
    /// runtime's diagnostic server, or a connection between the target and this tool (its EventPipe sessions). The
    /// target's calls on it are the observer's, kept apart from the app's. Asked right after that description.
    /// </summary>
    /// <param name="connectedTo">
    /// Where the connect call that connected the fd was given its address (a sockaddr in the target), 0 when none
    /// was seen: for an fd closed before it could be described, where it connected is all that tells.
    /// </param>
    bool IsObserverFd(int pid, int fd, ulong connectedTo) => false;

    /// <summary>
    /// The fd's open flags now (as open(2) spells them: access mode, O_APPEND, …), or null when that cannot be
    /// told: checked against the open call that made the fd, they show whether the fd still refers to that file.
    /// </summary>
    int? FdOpenFlags(int pid, int fd) => null;

    /// <summary>
    /// Who holds a file lock on the file behind the fd, other than the process itself ("pid 4321 myapp"),
    /// or null when nobody else does or it cannot be told.
    /// </summary>
    string? LockHolder(int pid, int fd) => null;

    /// <summary>
    /// The path the open call that made the fd was given, for an fd closed before <see cref="DescribeFd"/>
    /// could say what it was: as the recorder captured it with the call (<paramref name="captured"/>), else
    /// read from the target at <paramref name="address"/> (the call's argument); null when it cannot be told
    /// with confidence.
    /// </summary>
    string? PathGivenToOpen(int pid, int fd, ulong address, string? captured) => captured;

    /// <summary>
    /// True when every answer describes the fd as it was at the call being aggregated (a log replayed call by
    /// call), not some time later as /proc does: no answer can then be of a reused fd number, and none is
    /// checked for it.
    /// </summary>
    bool AnswersAtCallTime => false;
}
