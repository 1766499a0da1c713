using Advisor.Core.Aggregation;
using Advisor.Core.Syscalls;

namespace Advisor.Core.Rules.Metrics;

/// <summary>
/// Splits a group's time into work and waiting. A call that waits for something outside it — a lock's
/// holder, a timer, a peer on a socket or pipe, file events on an inotify fd — spends that time off the CPU: fixing the pattern gives it back
/// as latency, not as CPU. Such calls that lasted past <see cref="WaitingNs"/> are counted as waiting (their
/// time, from the duration histogram, scaled to the measured total); their short siblings, and every other
/// call, as work — except calls that blocked far beyond the rest of the group (<see cref="OutlierFactor"/>):
/// an open of a FIFO that waits seconds for its peer among opens of microseconds is waiting too, and the
/// group's work is what its bulk costs, not a mean one such call dominates.
/// </summary>
internal static class WaitSplit
{
    /// <summary>Longer than any work a waiting call does on the CPU (a poll, a futex that found its lock free).</summary>
    public const long WaitingNs = 50_000;

    /// <summary>
    /// How many times the group's median a call of work must last to be counted as blocked: three orders of
    /// magnitude is no cache miss or larger buffer, it is the call waiting (a FIFO's peer, a device, a lock in
    /// the file system). And at least <see cref="OutlierFloorNs"/>, so a group of cheap calls keeps its slow
    /// page faults as work.
    /// </summary>
    public const double OutlierFactor = 1000;

    public const long OutlierFloorNs = 1_000_000;

    public readonly record struct Split(double WorkNs, long WorkCalls, double WaitNs, long WaitCalls);

    public static Split Of(AggregateSnapshot snapshot, IReadOnlyList<StatsRow> rows)
    {
        var outlierNs = OutlierBound(snapshot, rows);
        double work = 0, wait = 0;
        long workCalls = 0, waitCalls = 0;
        foreach (var row in rows)
        {
            var boundNs = CanWait(snapshot.Catalog.TraitsOf(row.Number), row.Fd) ? WaitingNs : outlierNs;
            double longNs = 0, shortNs = 0;
            long longCalls = 0;
            for (var bucket = 0; bucket < row.Histogram.Length; bucket++)
            {
                var calls = row.Histogram[bucket];
                if (DurationHistogram.LowerBound(bucket) >= boundNs)
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

    /// <summary>The duration from which a call of work counts as blocked: <see cref="OutlierFactor"/> × the median of the group's calls of work.</summary>
    private static double OutlierBound(AggregateSnapshot snapshot, IReadOnlyList<StatsRow> rows)
    {
        var histogram = new long[DurationHistogram.BucketCount];
        foreach (var row in rows)
        {
            if (!CanWait(snapshot.Catalog.TraitsOf(row.Number), row.Fd))
            {
                for (var i = 0; i < histogram.Length; i++)
                {
                    histogram[i] += row.Histogram[i];
                }
            }
        }

        return Math.Max(OutlierFloorNs, OutlierFactor * DurationHistogram.Percentile(histogram, 0.5));
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
