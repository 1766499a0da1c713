using Advisor.Core.Targets;

namespace Advisor.Linux.Strace;

/// <summary>
/// What each fd of each process refers to, as the log shows it: kept current call by call while the log is
/// replayed, so every question the aggregation asks is answered as of the call it is aggregating.
/// </summary>
internal sealed class StraceFdTable : ITargetIntrospector
{
    private readonly Dictionary<(int Pid, int Fd), FdEntry> _fds = new();

    public bool AnswersAtCallTime => true;

    public string? DescribeFd(int pid, int fd) => _fds.TryGetValue((pid, fd), out var entry)
        ? entry.Description
        : fd switch
        {
            0 => "stdin (inherited)",
            1 => "stdout (inherited)",
            2 => "stderr (inherited)",
            _ => $"fd {fd} (opened before the trace began)",
        };

    public int? FdOpenFlags(int pid, int fd) => _fds.TryGetValue((pid, fd), out var entry) ? entry.Flags : null;

    // strace shows no thread names; those the log reveals (prctl, writes to comm) reach the sink directly.
    public string? ThreadName(int pid, int tid) => null;

    public FdEntry? Get(int pid, int fd) => _fds.TryGetValue((pid, fd), out var entry) ? entry : null;

    public void Set(int pid, int fd, FdEntry entry) => _fds[(pid, fd)] = entry;

    public void Remove(int pid, int fd) => _fds.Remove((pid, fd));

    public void RemoveRange(int pid, long first, long last)
    {
        foreach (var key in _fds.Keys.Where(k => k.Pid == pid && k.Fd >= first && k.Fd <= last).ToList())
        {
            _fds.Remove(key);
        }
    }

    /// <summary>A forked child starts with a copy of its parent's fds.</summary>
    public void Fork(int parent, int child)
    {
        foreach (var (key, entry) in _fds.Where(p => p.Key.Pid == parent).ToList())
        {
            _fds[(child, key.Fd)] = entry;
        }
    }
}

/// <summary>An fd as the log described it.</summary>
/// <param name="Flags">The open flags, for files opened in the log.</param>
/// <param name="Protocol">"tcp", "tcp6", "udp", "udp6", "unix" for sockets made in the log.</param>
/// <param name="Local">The socket's bound address, when the log bound it.</param>
/// <param name="Serial">Which socket of the log this is: stands in for the local address strace does not show.</param>
internal sealed record FdEntry(string Description, int? Flags = null, string? Protocol = null, string? Local = null, int Serial = 0);
