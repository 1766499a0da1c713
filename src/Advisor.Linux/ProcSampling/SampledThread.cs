using Advisor.Core.Events;

namespace Advisor.Linux.ProcSampling;

/// <summary>
/// What the sampler knows of one thread between rounds: its last counters, the blocking call it is in (seen
/// over consecutive samples, one call), and the fd and syscall its reads and writes were last seen using.
/// </summary>
internal sealed class SampledThread(ThreadSample first)
{
    private (BlockedCall Call, long SinceNs)? _episode;

    public ThreadSample Last { get; set; } = first;

    public int? ReadFd { get; private set; }

    public int? ReadNumber { get; private set; }

    public int? WriteFd { get; private set; }

    public int? WriteNumber { get; private set; }

    /// <summary>The fd of the growing file its writes were last given to, when no sample showed their fd.</summary>
    public int? GrewFd { get; set; }

    /// <summary>
    /// A call seen in two samples running is one call; when the thread is no longer in it, it is delivered with
    /// the time it was seen blocked. Reads and writes are not delivered (the io counters count them exactly),
    /// but they tell which fd and syscall the thread's reads and writes use.
    /// </summary>
    public void Observe(BlockedCall? blocked, long previousNs, long nowNs, Func<int, IoKind> kindOf, int tid, int pid, ISyscallSink sink)
    {
        if (_episode is { } episode && blocked == episode.Call)
        {
            return;
        }

        if (_episode is { } ended && kindOf(ended.Call.Number) == IoKind.None)
        {
            // It ended somewhere between the last sample that saw it and this one.
            var endNs = previousNs + ((nowNs - previousNs) / 2);
            sink.OnSyscall(new SyscallEvent(pid, tid, ended.Call.Number, ended.SinceNs, Math.Max(0, endNs - ended.SinceNs), 0, ended.Call.Arg0, ended.Call.Arg1, ended.Call.Arg2));
        }

        _episode = blocked is { } call ? (call, nowNs) : null;
        if (blocked is { } io && io.Arg0 <= int.MaxValue)
        {
            switch (kindOf(io.Number))
            {
                case IoKind.Read:
                    (ReadFd, ReadNumber) = ((int)io.Arg0, io.Number);
                    break;
                case IoKind.Write:
                    (WriteFd, WriteNumber) = ((int)io.Arg0, io.Number);
                    break;
            }
        }
    }
}

/// <summary>Whether a syscall is counted by the io file's read counters, its write counters, or neither.</summary>
internal enum IoKind
{
    None,
    Read,
    Write,
}
