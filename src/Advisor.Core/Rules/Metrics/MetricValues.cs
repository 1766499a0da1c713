namespace Advisor.Core.Rules.Metrics;

/// <summary>A group's value of every <see cref="Metric"/>, 0 until set.</summary>
public sealed class MetricValues
{
    private readonly double[] _values = new double[Metric.All.Count];

    public double this[Metric metric]
    {
        get => _values[metric.Index];
        set => _values[metric.Index] = value;
    }
}
