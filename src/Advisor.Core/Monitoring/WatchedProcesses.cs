using System.Collections.Immutable;

namespace Advisor.Core.Monitoring;

/// <summary>
/// The processes <c>monitor --all</c> has a watch on, read by every backend's drain thread: a watch's backend may
/// follow a child that has a watch of its own (perf's events are inherited by child processes), and the child's
/// calls are then judged by its own watch only. Written by the monitor's thread, read without a lock.
/// </summary>
public sealed class WatchedProcesses
{
    private ImmutableHashSet<int> _pids = [];

    public void Add(int pid) => ImmutableInterlocked.Update(ref _pids, set => set.Add(pid));

    public void Remove(int pid) => ImmutableInterlocked.Update(ref _pids, set => set.Remove(pid));

    public bool Contains(int pid) => Volatile.Read(ref _pids).Contains(pid);
}
