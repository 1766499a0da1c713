namespace Advisor.Core.Rules.Expressions;

/// <summary>An <see cref="IMetricResolver"/> over a fixed dictionary of values; names are case-sensitive.</summary>
public sealed class DictionaryMetricResolver : IMetricResolver
{
    private readonly IReadOnlyDictionary<string, double> _values;

    public DictionaryMetricResolver(IReadOnlyDictionary<string, double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        _values = values;
    }

    /// <inheritdoc />
    public bool TryGet(string name, out double value) => _values.TryGetValue(name, out value);
}
