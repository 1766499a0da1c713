using Advisor.Core.Findings;

namespace Advisor.Core.Monitoring;

/// <summary>
/// What every monitor exporter sends for one interval, computed once: each syscall's calls and time under a
/// bounded label (a process's first <see cref="TopSyscalls"/> syscalls by name, any other under
/// <see cref="Other"/>), scaled to the whole interval when only a window of it was recorded, and what an
/// active rule's fix would save per second.
/// </summary>
public static class ExportedSeries
{
    /// <summary>Syscalls with a series of their own per process.</summary>
    public const int TopSyscalls = 20;

    public const string Other = "other";

    /// <summary>The interval's calls and seconds by label, the busiest first.</summary>
    /// <param name="named">The process's syscalls that have a series of their own so far: added to while there is room.</param>
    public static IReadOnlyList<(string Label, long Calls, double Seconds)> Syscalls(IntervalOutcome interval, ISet<string> named)
    {
        ArgumentNullException.ThrowIfNull(interval);
        ArgumentNullException.ThrowIfNull(named);
        var totals = new List<(string Label, long Calls, double Seconds)>();
        foreach (var syscall in interval.Syscalls.Rows.GroupBy(r => r.Syscall).OrderByDescending(g => g.Sum(r => r.Stats.Count)))
        {
            var label = named.Contains(syscall.Key) || (named.Count < TopSyscalls && named.Add(syscall.Key)) ? syscall.Key : Other;
            totals.Add((
                label,
                (long)Math.Round(syscall.Sum(r => r.Stats.Count) / interval.Coverage),
                syscall.Sum(r => r.Stats.TotalNs) / 1e9 / interval.Coverage));
        }

        return totals;
    }

    /// <summary>Kernel time per second the fixes of one rule's active findings would save, over the recorded time.</summary>
    public static double SavingPerSecond(IEnumerable<Finding> findings, IntervalOutcome interval)
    {
        ArgumentNullException.ThrowIfNull(interval);
        return findings.Sum(f => f.EstimatedSavingMs) / 1000 / Math.Max(interval.Syscalls.DurationSeconds, 1e-3);
    }
}
