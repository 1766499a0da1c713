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

    public string? ThreadName(int pid, int tid) => ThreadNames.GetValueOrDefault(tid);

    public Dictionary<(int Pid, int Fd), int> OpenFlags { get; } = [];

    public int? FdOpenFlags(int pid, int fd) => OpenFlags.TryGetValue((pid, fd), out var mode) ? mode : null;

    public Dictionary<(int Pid, int Fd), string> LockHolders { get; } = [];

    public string? LockHolder(int pid, int fd) => LockHolders.GetValueOrDefault((pid, fd));
}
