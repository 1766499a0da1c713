using Advisor.Core.Events;

namespace Advisor.Linux.Perf;

/// <summary>
/// Pairs sys_enter with sys_exit per thread into completed <see cref="SyscallEvent"/>s.
/// </summary>
/// <remarks>
/// Each CPU has its own ring. The source merges the rings by timestamp up to a watermark, but a record a CPU
/// writes late (after the watermark passed its time), or timestamps of two CPUs a hair apart, can still reach the
/// pairer out of order for a thread that migrated while in a syscall: an exit before its enter, or a later call's
/// enter before an earlier call's exit. A thread makes one call at a time, so each exit belongs to the latest
/// enter before it, and each enter to the earliest exit after it; a small window of both per thread pairs them
/// whatever order they arrive in.
/// </remarks>
internal sealed class SyscallPairer
{
    /// <summary>The two sys_enter events of one call (counting and stack) are this close: each takes its own timestamp.</summary>
    private const long SameEnterNs = 50_000;

    private readonly ISyscallSink _sink;
    private readonly int _exitNr;
    private readonly int _exitGroupNr;
    private readonly Dictionary<int, ThreadCalls> _threads = new();
    // Records of a thread that already exited can only be twins from a second stream (records are merged
    // in time order, so a twin arrives right after its original); a few recent exits are enough.
    private readonly (int Tid, long Time)[] _recentExits = new (int, long)[16];
    private int _nextExit;
    // When the source last paused (monotonic ns, 0 for never). Written by the thread that pauses, read by the drain.
    // One is enough: the drain is milliseconds behind and pauses are at least a second apart.
    private long _pausedAtNs;

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

    /// <summary>
    /// The source stops recording now: a call entered before and exited after (its exit unseen, or seen after the
    /// resume) is not paired, nor is an exit after the resume paired with an enter from before the pause.
    /// </summary>
    public void Pausing(long nowNs) => Volatile.Write(ref _pausedAtNs, nowNs);

    private bool SpansPause(long enterNs, long exitNs)
    {
        var pausedAt = Volatile.Read(ref _pausedAtNs);
        return enterNs < pausedAt && exitNs > pausedAt;
    }

    /// <summary>Counts what is still waiting for its other half when recording stops (calls in flight).</summary>
    public void Finish()
    {
        foreach (var t in _threads.Values)
        {
            Unpaired += t.EnterCount + t.ExitCount;
            t.Clear();
        }
    }

    public void OnLost(long count) => _sink.OnLost(count);

    public void OnThreadName(int pid, int tid, string name) => _sink.OnThreadName(pid, tid, name);

    // Its record comes between the call's enter and exit, and records are merged in time order: it reaches
    // the sink before the call it belongs to.
    public void OnOpenPath(int pid, int tid, string path) => _sink.OnOpenPath(pid, tid, path);

    /// <summary>
    /// A stack sampled at a sys_enter by the separate stack event (<c>--stacks sampled</c>): it belongs to the
    /// call the thread entered at the same moment, whichever of the two records came first.
    /// </summary>
    public void OnStack(int tid, long time, int stackId)
    {
        var t = ThreadOf(tid, time);
        if (t is null)
        {
            return;
        }

        var enter = t.LatestEnterAtOrBefore(time);
        if (enter >= 0 && time - t.Enters[enter].Time <= SameEnterNs)
        {
            t.Enters[enter] = t.Enters[enter] with { StackId = stackId };
            return;
        }

        t.PendingStack = (time, stackId);
    }

    public void OnEnter(int pid, int tid, long time, int nr, ulong a0, ulong a1, ulong a2, bool direct, int stackId = 0)
    {
        var t = ThreadOf(tid, time);
        if (t is null || !Admit(t, direct))
        {
            return;
        }

        if (t.PendingStack.StackId != 0)
        {
            // The stack event's record came first.
            stackId = Math.Abs(time - t.PendingStack.Time) <= SameEnterNs ? t.PendingStack.StackId : stackId;
            t.PendingStack = default;
        }

        if (nr == _exitNr || nr == _exitGroupNr)
        {
            // exit and exit_group never return: record them now and forget the thread. A thread covered by
            // two streams sends this record twice; remembering the exit drops the twin.
            _sink.OnSyscall(new SyscallEvent(pid, tid, nr, time, 0, 0, a0, a1, a2, stackId));
            Unpaired += t.EnterCount + t.ExitCount;
            _threads.Remove(tid);
            _recentExits[_nextExit++ % _recentExits.Length] = (tid, time);
            return;
        }

        var exit = t.EarliestExitAtOrAfter(time);
        if (exit >= 0 && t.Exits[exit].Nr == nr && !SpansPause(time, t.Exits[exit].Time))
        {
            ref readonly var x = ref t.Exits[exit];
            _sink.OnSyscall(new SyscallEvent(pid, tid, nr, time, x.Time - time, x.Ret, a0, a1, a2, stackId));
            t.RemoveExit(exit);
            return;
        }

        if (t.AddEnter(new PendingEnter(time, nr, a0, a1, a2, stackId)))
        {
            Unpaired++;
        }
    }

    public void OnExit(int pid, int tid, long time, int nr, long ret, bool direct)
    {
        var t = ThreadOf(tid, time);
        if (t is null || !Admit(t, direct))
        {
            return;
        }

        var enter = t.LatestEnterAtOrBefore(time);
        if (enter >= 0 && t.Enters[enter].Nr == nr && !SpansPause(t.Enters[enter].Time, time))
        {
            ref readonly var e = ref t.Enters[enter];
            _sink.OnSyscall(new SyscallEvent(pid, tid, nr, e.Time, time - e.Time, ret, e.A0, e.A1, e.A2, e.StackId));
            t.RemoveEnter(enter);
            return;
        }

        if (t.AddExit(new PendingExit(time, nr, ret)))
        {
            Unpaired++;
        }
    }

    private bool ExitedAlready(int tid, long time)
    {
        foreach (var (exitedTid, exitTime) in _recentExits)
        {
            if (exitedTid == tid && time <= exitTime && exitTime != 0)
            {
                return true;
            }
        }

        return false;
    }

    /// <returns>The thread's state, or null for a twin record of a thread that already exited.</returns>
    private ThreadCalls? ThreadOf(int tid, long time)
    {
        if (_threads.TryGetValue(tid, out var calls))
        {
            return calls;
        }

        if (ExitedAlready(tid, time))
        {
            Duplicates++;
            return null;
        }

        calls = new ThreadCalls();
        _threads[tid] = calls;
        return calls;
    }

    /// <summary>
    /// A thread found by a re-scan during attach may also have inherited its creator's events. The inherited
    /// stream covers it from its first instruction, so once it is seen, samples of the direct one are dropped.
    /// </summary>
    private bool Admit(ThreadCalls t, bool direct)
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
            t.Clear();
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

    private interface ITimed
    {
        long Time { get; }
    }

    private readonly record struct PendingEnter(long Time, int Nr, ulong A0, ulong A1, ulong A2, int StackId) : ITimed;

    private readonly record struct PendingExit(long Time, int Nr, long Ret) : ITimed;

    /// <summary>One thread's unmatched records: allocated once per thread, then reused.</summary>
    private sealed class ThreadCalls
    {
        // Rings are merged in time order, so records arrive out of order only when a CPU published them after
        // the merge's watermark passed them; eight of each is far more than that can interleave.
        private const int Window = 8;

        public Source Source;
        public (long Time, int StackId) PendingStack;
        public readonly PendingEnter[] Enters = new PendingEnter[Window];
        public readonly PendingExit[] Exits = new PendingExit[Window];
        public int EnterCount;
        public int ExitCount;

        public int LatestEnterAtOrBefore(long time)
        {
            var best = -1;
            for (var i = 0; i < EnterCount; i++)
            {
                if (Enters[i].Time <= time && (best < 0 || Enters[i].Time > Enters[best].Time))
                {
                    best = i;
                }
            }

            return best;
        }

        public int EarliestExitAtOrAfter(long time)
        {
            var best = -1;
            for (var i = 0; i < ExitCount; i++)
            {
                if (Exits[i].Time >= time && (best < 0 || Exits[i].Time < Exits[best].Time))
                {
                    best = i;
                }
            }

            return best;
        }

        /// <returns>True when the window was full and its oldest entry had to be given up.</returns>
        public bool AddEnter(in PendingEnter enter)
        {
            var evicted = EnterCount == Window;
            if (evicted)
            {
                RemoveEnter(Oldest(Enters.AsSpan(0, EnterCount)));
            }

            Enters[EnterCount++] = enter;
            return evicted;
        }

        public bool AddExit(in PendingExit exit)
        {
            var evicted = ExitCount == Window;
            if (evicted)
            {
                RemoveExit(Oldest(Exits.AsSpan(0, ExitCount)));
            }

            Exits[ExitCount++] = exit;
            return evicted;
        }

        public void RemoveEnter(int index) => Enters[index] = Enters[--EnterCount];

        public void RemoveExit(int index) => Exits[index] = Exits[--ExitCount];

        public void Clear()
        {
            EnterCount = 0;
            ExitCount = 0;
        }

        private static int Oldest<T>(ReadOnlySpan<T> pending)
            where T : struct, ITimed
        {
            var oldest = 0;
            for (var i = 1; i < pending.Length; i++)
            {
                oldest = pending[i].Time < pending[oldest].Time ? i : oldest;
            }

            return oldest;
        }
    }
}
