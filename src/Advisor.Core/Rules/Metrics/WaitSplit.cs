using Advisor.Core.Aggregation;
using Advisor.Core.Syscalls;

namespace Advisor.Core.Rules.Metrics;

/// <summary>
/// Splits a group's time into work and waiting. A call that waits for something outside it — a lock's
/// holder, a timer, a peer on a socket or pipe, file events on an inotify fd — spends that time off the CPU: fixing the pattern gives it back
/// as latency, not as CPU. Such calls that lasted past <see cref="WaitingNs"/> are counted as waiting (their
/// time, from the duration histogram, scaled to the measured total); their short siblings, and every other
/// call, as work.
/// </summary>
internal static class WaitSplit
{
    /// <summary>Longer than any work a waiting call does on the CPU (a poll, a futex that found its lock free).</summary>
    public const long WaitingNs = 50_000;

    public readonly record struct Split(double WorkNs, long WorkCalls, double WaitNs, long WaitCalls);

    public static Split Of(AggregateSnapshot snapshot, IReadOnlyList<StatsRow> rows)
    {
        double work = 0, wait = 0;
        long workCalls = 0, waitCalls = 0;
        foreach (var row in rows)
        {
            if (!CanWait(snapshot.Catalog.TraitsOf(row.Number), row.Fd))
            {
                work += row.Stats.TotalNs;
                workCalls += row.Stats.Count;
                continue;
            }

            double longNs = 0, shortNs = 0;
            long longCalls = 0;
            for (var bucket = 0; bucket < row.Histogram.Length; bucket++)
            {
                var calls = row.Histogram[bucket];
                if (DurationHistogram.LowerBound(bucket) >= WaitingNs)
                {
                    longNs += calls * DurationHistogram.Midpoint(bucket);
                    longCalls += calls;
                }
                else
                {
                    shortNs += calls * DurationHistogram.Midpoint(bucket);
                }
            }

            var waiting = longNs + shortNs == 0 ? 0 : longNs / (longNs + shortNs);
            wait += waiting * row.Stats.TotalNs;
            work += (1 - waiting) * row.Stats.TotalNs;
            waitCalls += longCalls;
            workCalls += row.Stats.Count - longCalls;
        }

        return new Split(work, workCalls, wait, waitCalls);
    }

    /// <summary>
    /// Calls that wait by nature, and reads of what another party writes: sockets, pipes, and the kernel's event
    /// fds (inotify, eventfd, timerfd, signalfd: <c>anon_inode:</c>), which a watcher thread reads as they come.
    /// </summary>
    private static bool CanWait(SyscallTraits traits, FdSlot? fd) =>
        (traits & SyscallTraits.Waits) != 0
        || ((traits & SyscallTraits.Read) != 0 && fd is not null
            && (fd.IsSocket || fd.Description.StartsWith("pipe:", StringComparison.Ordinal) || fd.Description.StartsWith("anon_inode:", StringComparison.Ordinal)));
}
