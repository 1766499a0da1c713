using System.Runtime.InteropServices;
using Advisor.Core.Events;

namespace Advisor.Linux.Perf;

/// <summary>
/// Pairs sys_enter with sys_exit per thread into completed <see cref="SyscallEvent"/>s.
/// </summary>
/// <remarks>
/// Each CPU has its own ring, and rings are drained one after the other, so a thread that migrated while
/// blocked may have its exit read before its enter. A thread has at most one syscall in flight, so one
/// pending enter and one early ("orphan") exit per thread are enough to pair in either order.
/// </remarks>
internal sealed class SyscallPairer
{
    private readonly ISyscallSink _sink;
    private readonly int _exitNr;
    private readonly int _exitGroupNr;
    private readonly Dictionary<int, ThreadState> _threads = new();

    public SyscallPairer(ISyscallSink sink, int exitNumber, int exitGroupNumber)
    {
        _sink = sink;
        _exitNr = exitNumber;
        _exitGroupNr = exitGroupNumber;
    }

    /// <summary>Enters and exits that never found their other half (lost records, calls in flight at attach).</summary>
    public long Unpaired { get; private set; }

    /// <summary>Samples dropped because the same thread was also covered by another event (see <see cref="EventOwners"/>).</summary>
    public long Duplicates { get; private set; }

    public int TrackedThreads => _threads.Count;

    public void OnLost(long count) => _sink.OnLost(count);

    public void OnEnter(int pid, int tid, long time, int nr, ulong a0, ulong a1, ulong a2, bool direct)
    {
        ref var t = ref CollectionsMarshal.GetValueRefOrAddDefault(_threads, tid, out _);
        if (!Admit(ref t, direct))
        {
            return;
        }

        if (nr == _exitNr || nr == _exitGroupNr)
        {
            // exit and exit_group never return: record them now and forget the thread.
            _sink.OnSyscall(new SyscallEvent(pid, tid, nr, time, 0, 0, a0, a1, a2));
            _threads.Remove(tid);
            return;
        }

        if (t.HasOrphanExit && t.OrphanNr == nr && t.OrphanTime >= time)
        {
            t.HasOrphanExit = false;
            _sink.OnSyscall(new SyscallEvent(pid, tid, nr, time, t.OrphanTime - time, t.OrphanRet, a0, a1, a2));
            return;
        }

        if (t.HasEnter)
        {
            Unpaired++;
        }

        t.HasEnter = true;
        t.EnterNr = nr;
        t.EnterTime = time;
        t.A0 = a0;
        t.A1 = a1;
        t.A2 = a2;
    }

    public void OnExit(int pid, int tid, long time, int nr, long ret, bool direct)
    {
        ref var t = ref CollectionsMarshal.GetValueRefOrAddDefault(_threads, tid, out _);
        if (!Admit(ref t, direct))
        {
            return;
        }

        if (t.HasEnter && t.EnterNr == nr && t.EnterTime <= time)
        {
            t.HasEnter = false;
            _sink.OnSyscall(new SyscallEvent(pid, tid, nr, t.EnterTime, time - t.EnterTime, ret, t.A0, t.A1, t.A2));
            return;
        }

        if (t.HasOrphanExit)
        {
            Unpaired++;
        }

        t.HasOrphanExit = true;
        t.OrphanNr = nr;
        t.OrphanTime = time;
        t.OrphanRet = ret;
    }

    /// <summary>
    /// A thread found by a re-scan during attach may also have inherited its creator's events. The inherited
    /// stream covers it from its first instruction, so once it is seen, samples of the direct one are dropped.
    /// </summary>
    private bool Admit(ref ThreadState t, bool direct)
    {
        var source = direct ? Source.Direct : Source.Inherited;
        if (t.Source == Source.Unknown || t.Source == source)
        {
            t.Source = source;
            return true;
        }

        if (source == Source.Inherited)
        {
            t.Source = Source.Inherited;
            t.HasEnter = false;
            t.HasOrphanExit = false;
            return true;
        }

        Duplicates++;
        return false;
    }

    private enum Source : byte
    {
        Unknown,
        Direct,
        Inherited,
    }

    private struct ThreadState
    {
        public Source Source;
        public bool HasEnter;
        public bool HasOrphanExit;
        public int EnterNr;
        public long EnterTime;
        public ulong A0;
        public ulong A1;
        public ulong A2;
        public int OrphanNr;
        public long OrphanTime;
        public long OrphanRet;
    }
}
