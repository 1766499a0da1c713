using Advisor.Core.Aggregation;
using Advisor.Core.Rules.Expressions;
using Advisor.Core.Stacks;

namespace Advisor.Core.Rules.Metrics;

/// <summary>The rows a rule looks at together, with their metrics and the labels its message may name.</summary>
public sealed class MetricGroup : IMetricResolver
{
    public MetricGroup(IReadOnlyList<StatsRow> rows, IReadOnlyDictionary<string, double> metrics, IReadOnlyDictionary<string, string> labels)
    {
        Rows = rows;
        Metrics = metrics;
        Labels = labels;
    }

    public IReadOnlyList<StatsRow> Rows { get; }

    public IReadOnlyDictionary<string, double> Metrics { get; }

    public IReadOnlyDictionary<string, string> Labels { get; }

    public double this[string metric] => Metrics[metric];

    /// <summary>The group's stacks, when they do not come from its rows (lock sites), and where they are named.</summary>
    public (IReadOnlyList<StackCount> Counts, CallStacks Names)? Stacks { get; init; }

    /// <summary>Calls per thread, when they do not come from its rows (lock sites).</summary>
    public IReadOnlyList<(int Tid, long Count)>? ThreadCounts { get; init; }

    public bool TryGet(string name, out double value) => Metrics.TryGetValue(name, out value);
}
