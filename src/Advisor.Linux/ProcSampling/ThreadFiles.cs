namespace Advisor.Linux.ProcSampling;

/// <summary>The three files sampled for one thread: io (read and write counts), stat (CPU time) and syscall.</summary>
internal sealed class ThreadFiles(int pid, int tid, bool keepOpen) : IDisposable
{
    public ProcFile Io { get; } = new($"/proc/{pid}/task/{tid}/io", keepOpen);

    public ProcFile Stat { get; } = new($"/proc/{pid}/task/{tid}/stat", keepOpen);

    public ProcFile Syscall { get; } = new($"/proc/{pid}/task/{tid}/syscall", keepOpen);

    public void Dispose()
    {
        Io.Dispose();
        Stat.Dispose();
        Syscall.Dispose();
    }
}
