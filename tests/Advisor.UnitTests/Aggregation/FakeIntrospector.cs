using Advisor.Core.Targets;

namespace Advisor.UnitTests.Aggregation;

/// <summary>Answers fd paths and thread names from tables the test fills (and may change mid-stream).</summary>
internal sealed class FakeIntrospector : ITargetIntrospector
{
    public Dictionary<(int Pid, int Fd), string> Fds { get; } = [];

    public Dictionary<int, string> ThreadNames { get; } = [];

    public List<(int Pid, int Fd)> FdQueries { get; } = [];

    public string? DescribeFd(int pid, int fd)
    {
        FdQueries.Add((pid, fd));
        return Fds.GetValueOrDefault((pid, fd));
    }

    /// <summary>The fds as they were when the recording began, where the test says (else as <see cref="Fds"/> says now).</summary>
    public Dictionary<(int Pid, int Fd), string> FdsAtStart { get; } = [];

    public string? DescribeFdOpenAtStart(int pid, int fd) =>
        FdsAtStart.TryGetValue((pid, fd), out var then) ? then : DescribeFd(pid, fd);

    public string? ThreadName(int pid, int tid) => ThreadNames.GetValueOrDefault(tid);

    public Dictionary<(int Pid, int Fd), int> OpenFlags { get; } = [];

    public int? FdOpenFlags(int pid, int fd) => OpenFlags.TryGetValue((pid, fd), out var mode) ? mode : null;

    /// <summary>What the target's memory holds at an open call's path argument, by address.</summary>
    public Dictionary<ulong, string> OpenPaths { get; } = [];

    public string? PathGivenToOpen(int pid, int fd, ulong address, string? captured) => captured ?? OpenPaths.GetValueOrDefault(address);

    /// <summary>The fds that are the observer's (its connections to the target's runtime).</summary>
    public HashSet<(int Pid, int Fd)> ObserverFds { get; } = [];

    /// <summary>The sockaddr addresses whose connects reached the observer (what an fd closed too soon is told by).</summary>
    public HashSet<ulong> ObserverAddresses { get; } = [];

    public bool IsObserverFd(int pid, int fd, ulong connectedTo) => ObserverFds.Contains((pid, fd)) || ObserverAddresses.Contains(connectedTo);

    public Dictionary<(int Pid, int Fd), string> LockHolders { get; } = [];

    public string? LockHolder(int pid, int fd) => LockHolders.GetValueOrDefault((pid, fd));
}
