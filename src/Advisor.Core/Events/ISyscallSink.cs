namespace Advisor.Core.Events;

/// <summary>Where a syscall source delivers what it saw. Called from the source's drain thread only.</summary>
public interface ISyscallSink
{
    void OnSyscall(in SyscallEvent e);

    /// <summary>Records the kernel could not deliver (ring buffer full): counted, never silently dropped.</summary>
    void OnLost(long count);

    /// <summary>
    /// A thread got its name (or a process exec'd), as the kernel reported it: threads that live only
    /// milliseconds are gone before /proc can be asked.
    /// </summary>
    void OnThreadName(int pid, int tid, string name)
    {
    }

    /// <summary>
    /// The path the thread's open call (the next one it completes) was given, as it was when the call was made:
    /// an fd closed before /proc could say what it was is still named.
    /// </summary>
    void OnOpenPath(int pid, int tid, string path)
    {
    }
}
