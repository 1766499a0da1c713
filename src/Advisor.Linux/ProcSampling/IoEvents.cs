using Advisor.Core.Events;

namespace Advisor.Linux.ProcSampling;

/// <summary>
/// Turns a thread's read and write counts over one sampling interval into that many calls, spread evenly
/// over it and interleaved in proportion: a thread that alternates requests and responses must not look as
/// if it wrote in long runs. Bytes are shared out exactly; the thread's system CPU time, shared out over the
/// calls, stands in for their time in the kernel.
/// </summary>
internal static class IoEvents
{
    public static void Emit(
        ISyscallSink sink, int pid, int tid, long fromNs, long toNs, long reads, long writes, long readBytes, long writtenBytes, long systemNs,
        (int Number, int Fd) read, (int Number, int Fd) write)
    {
        reads = Math.Max(0, reads);
        writes = Math.Max(0, writes);
        var calls = reads + writes;
        if (calls == 0)
        {
            return;
        }

        var duration = Math.Max(0, systemNs) / calls;
        var span = Math.Max(0, toNs - fromNs);
        var share = new Share(writtenBytes, writes);
        var readShare = new Share(readBytes, reads);
        long balance = 0;
        for (long i = 0; i < calls; i++)
        {
            var at = fromNs + (long)((double)span * i / calls);
            balance += writes;
            if (balance >= calls)
            {
                balance -= calls;
                var bytes = share.Next();
                sink.OnSyscall(new SyscallEvent(pid, tid, write.Number, at, duration, bytes, (ulong)write.Fd, 0, (ulong)bytes));
            }
            else
            {
                var bytes = readShare.Next();
                sink.OnSyscall(new SyscallEvent(pid, tid, read.Number, at, duration, bytes, (ulong)read.Fd, 0, (ulong)bytes));
            }
        }
    }

    /// <summary>Bytes shared out over calls: each gets the average, the first few one more, so the sum is exact.</summary>
    private struct Share(long bytes, long calls)
    {
        private readonly long _each = calls == 0 ? 0 : Math.Max(0, bytes) / calls;
        private long _extra = calls == 0 ? 0 : Math.Max(0, bytes) % calls;

        public long Next()
        {
            if (_extra > 0)
            {
                _extra--;
                return _each + 1;
            }

            return _each;
        }
    }
}
