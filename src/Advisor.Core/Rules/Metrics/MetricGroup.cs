using Advisor.Core.Aggregation;
using Advisor.Core.Rules.Expressions;
using Advisor.Core.Stacks;

namespace Advisor.Core.Rules.Metrics;

/// <summary>
/// What a rule looks at together — syscall rows, or runtime events (lock sites, the thread pool) — with its
/// metrics, the labels its message may name, its stacks and its threads.
/// </summary>
public sealed class MetricGroup : IMetricResolver
{
    /// <param name="stacks">The group's calls per stack, and where those stacks are named.</param>
    /// <param name="threadCounts">Calls per thread, most first.</param>
    public MetricGroup(
        IReadOnlyList<StatsRow> rows,
        MetricValues metrics,
        IReadOnlyDictionary<string, string> labels,
        (IReadOnlyList<StackCount> Counts, CallStacks Names) stacks,
        IReadOnlyList<(int Tid, long Count)> threadCounts)
    {
        Rows = rows;
        Metrics = metrics;
        Labels = labels;
        Stacks = stacks;
        ThreadCounts = threadCounts;
    }

    public IReadOnlyList<StatsRow> Rows { get; }

    public MetricValues Metrics { get; }

    public IReadOnlyDictionary<string, string> Labels { get; }

    public double this[Metric metric] => Metrics[metric];

    public (IReadOnlyList<StackCount> Counts, CallStacks Names) Stacks { get; }

    public IReadOnlyList<(int Tid, long Count)> ThreadCounts { get; }

    /// <summary>A metric by its YAML name; a rule's own metrics (siteShare) are not the group's.</summary>
    public bool TryGet(string name, out double value)
    {
        value = Metric.ByName.TryGetValue(name, out var metric) && metric.Scope != MetricScope.Rule ? Metrics[metric] : 0;
        return metric is not null && metric.Scope != MetricScope.Rule;
    }
}
