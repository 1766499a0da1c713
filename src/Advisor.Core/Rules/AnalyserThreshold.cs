namespace Advisor.Core.Rules;

/// <summary>
/// A threshold a C# analyser reads. The analyser declares it; the rule loader then requires the rule's YAML to
/// give it a value, so the number users see in `rules explain` and tune in advisor.yaml is the one in force,
/// and the code holds no default of its own.
/// </summary>
/// <param name="Name">Its name in the rule's <c>thresholds:</c>.</param>
/// <param name="Meaning">What it bounds, for error messages and docs.</param>
public sealed record AnalyserThreshold(string Name, string Meaning)
{
    /// <summary>Its value in a loaded rule (always there: the loader checked).</summary>
    public double In(RuleDefinition rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        return rule.Thresholds[Name];
    }
}
