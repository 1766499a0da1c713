using Advisor.Core.Aggregation;
using Advisor.Core.Runtime;
using Advisor.Core.Stacks;

namespace Advisor.Core.Rules.Metrics;

/// <summary>
/// Groups the runtime's contention by the place in the code where threads waited (the call site of the
/// contention stack: the application method that took the lock), with the metrics a condition may use:
/// <c>count</c> contended acquisitions, <c>totalMs</c> waited, <c>avgUs</c> per wait, <c>rate</c>,
/// <c>wallShare</c> (waited / recording), <c>threads</c>; the others are 0.
/// </summary>
internal static class LockSiteGroups
{
    public static IReadOnlyList<MetricGroup> Build(AggregateSnapshot snapshot)
    {
        var runtime = snapshot.Runtime;
        // Keyed on the application method that took the lock: whether the JIT inlined Monitor.Enter into it
        // (its stack then shows Enter_Slowpath) does not make it another lock site.
        return runtime.Contention.Sites
            .GroupBy(site => OwnerOf(runtime.Stacks[site.StackId]))
            .Select(g => Create(snapshot, SiteName(g.ToList(), runtime.Stacks), g.ToList()))
            .ToList();
    }

    private static string OwnerOf(CallStack stack) =>
        stack.Frames.FirstOrDefault(f => f.Kind == FrameKind.User)?.Name
        ?? stack.Frames.FirstOrDefault(f => f.Kind == FrameKind.Framework)?.Name
        ?? "an unnamed lock site";

    /// <summary>The call site of the group's most frequent stack: <c>MyApp.Cache.Get → Monitor.Enter</c>.</summary>
    private static string SiteName(IReadOnlyList<WaitSite> sites, CallStacks names)
    {
        var top = names[sites.MaxBy(s => s.Count)!.StackId];
        return top.CallSite ?? OwnerOf(top);
    }

    private static MetricGroup Create(AggregateSnapshot snapshot, string site, IReadOnlyList<WaitSite> sites)
    {
        var count = sites.Sum(s => s.Count);
        var waitMs = sites.Sum(s => s.WaitMs);
        var seconds = snapshot.DurationSeconds;
        var tids = sites.SelectMany(s => s.Tids).ToHashSet();

        // Per-thread counts are known for the whole recording, not per site: a thread's share is its total.
        var threadCounts = snapshot.Runtime.Contention.Threads
            .Where(t => tids.Contains(t.Tid))
            .Select(t => (t.Tid, t.Count))
            .ToList();
        return MetricGroupBuilder.FromRuntime(
            snapshot,
            metrics =>
            {
                metrics[Metric.Count] = count;
                metrics[Metric.TotalMs] = waitMs;
                metrics[Metric.AvgUs] = count == 0 ? 0 : waitMs * 1e3 / count;
                metrics[Metric.Rate] = seconds <= 0 ? 0 : count / seconds;
                metrics[Metric.WallShare] = seconds <= 0 ? 0 : waitMs / 1e3 / seconds;
                metrics[Metric.Threads] = tids.Count;
            },
            "(lock)",
            threadCounts,
            (sites.Select(s => s.AsStackCount).ToList(), snapshot.Runtime.Stacks),
            site);
    }
}
