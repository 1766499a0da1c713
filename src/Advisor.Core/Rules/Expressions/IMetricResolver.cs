namespace Advisor.Core.Rules.Expressions;

/// <summary>
/// Supplies the values of the identifiers an expression names: a group's metrics and the rule's thresholds.
/// </summary>
public interface IMetricResolver
{
    /// <summary>The value of <paramref name="name"/>, or <see langword="false"/> when the name is unknown.</summary>
    bool TryGet(string name, out double value);
}
