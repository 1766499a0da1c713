using Advisor.Core.Hang;
using Advisor.Core.Threads;

namespace Advisor.Core.Monitoring;

/// <summary>
/// The cheap half of <c>--collect-on hang</c>, one per watched process: from the /proc view of its threads taken
/// every interval, whether a hang may have set in — an application thread that moved while watched (it ran, or it
/// started) and has since sat in the same endless wait (<see cref="EndlessWait"/>) with no CPU and no context switch
/// for at least <c>stuckFor</c>. Only then is the real triage (ClrMD, a moment paused) worth running.
/// </summary>
/// <remarks>
/// Threads stuck since before the watch began never make a suspect: an idle service's main thread waits for
/// shutdown forever, as healthy as it gets. The same stuck threads are suspected once: a hang that lasts is not
/// triaged again every interval, whatever its verdict was; a thread is suspected anew only after it ran again.
/// </remarks>
public sealed class HangSuspicion(int pid, string processName, TimeSpan stuckFor, Func<int, string> syscallName)
{
    private readonly Dictionary<int, Tracked> _threads = [];
    private readonly HashSet<int> _suspected = [];
    private bool _seen;

    /// <summary>Takes this interval's observation of every thread; says whether a hang is suspected now.</summary>
    /// <param name="at">When the threads were read.</param>
    /// <returns>The threads that look stuck, when some are newly so; else null.</returns>
    public SuspectedHang? Observe(IReadOnlyList<ThreadObservation> threads, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(threads);
        var now = new Dictionary<int, Tracked>(threads.Count);
        foreach (var thread in threads)
        {
            now[thread.Tid] = _threads.TryGetValue(thread.Tid, out var before)
                ? Still(before.Last, thread)
                    ? before with { Last = thread, At = at, StuckSince = before.StuckSince ?? before.At, Moving = 0 }
                    : new Tracked(thread, at, Moved: true, null, before.Moving + 1)
                : new Tracked(thread, at, Moved: _seen, null, 0); // a thread that started while watched moved
        }

        _seen = true;
        _threads.Clear();
        foreach (var (tid, tracked) in now)
        {
            _threads[tid] = tracked;
        }

        var stuck = now.Values
            .Where(t => t.Moved && t.StuckSince is { } since && at - since >= stuckFor
                && !ThreadRoles.IsRuntimeInternal(ThreadRoles.Infer(pid, t.Last.Tid, t.Last.Name, processName))
                && t.Last.SyscallNumber is { } number && EndlessWait.Is(syscallName(number), t.Last.SyscallArgs))
            .OrderBy(t => t.StuckSince)
            .ToList();
        // A suspected thread is forgotten once it runs again for real: the triage's own pause wakes it once.
        _suspected.RemoveWhere(tid => !now.TryGetValue(tid, out var t) || t.Moving >= 2);
        var fresh = stuck.Any(t => !_suspected.Contains(t.Last.Tid));
        _suspected.UnionWith(stuck.Select(t => t.Last.Tid));
        return fresh
            ? new SuspectedHang(stuck.Select(t => new StuckThread(t.Last.Tid, t.Last.Name, syscallName(t.Last.SyscallNumber!.Value), at - t.StuckSince!.Value)).ToList())
            : null;
    }

    /// <summary>Between two reads the thread neither ran nor woke: same wait, same CPU time, same context switches.</summary>
    private static bool Still(ThreadObservation before, ThreadObservation now) =>
        now.State is not ('R' or 'T' or 't') && now.SyscallNumber is not null
        && now.SyscallNumber == before.SyscallNumber && now.SyscallArgs.SequenceEqual(before.SyscallArgs)
        && now.CpuMs == before.CpuMs && now.ContextSwitches == before.ContextSwitches;

    /// <param name="Moved">Seen running or starting while watched.</param>
    /// <param name="StuckSince">The first read of the wait it is still in; null while it moves.</param>
    /// <param name="Moving">How many reads in a row found it moved.</param>
    private sealed record Tracked(ThreadObservation Last, DateTimeOffset At, bool Moved, DateTimeOffset? StuckSince, int Moving);
}
