using Advisor.Core.Events;

namespace Advisor.Core.Monitoring;

/// <summary>
/// One watch's sink under <c>monitor --all</c>: passes on what the watched process and its unwatched children
/// do, and drops what a process with a watch of its own does, so no call is judged twice.
/// </summary>
public sealed class OwnCallsOnly(int pid, WatchedProcesses watched, ISyscallSink inner) : ISyscallSink
{
    public void OnSyscall(in SyscallEvent e)
    {
        if (Mine(e.Pid))
        {
            inner.OnSyscall(e);
        }
    }

    public void OnLost(long count) => inner.OnLost(count);

    public void OnThreadName(int pid, int tid, string name)
    {
        if (Mine(pid))
        {
            inner.OnThreadName(pid, tid, name);
        }
    }

    public void OnOpenPath(int pid, int tid, string path)
    {
        if (Mine(pid))
        {
            inner.OnOpenPath(pid, tid, path);
        }
    }

    private bool Mine(int caller) => caller == pid || !watched.Contains(caller);
}
