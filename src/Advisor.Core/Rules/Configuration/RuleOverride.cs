using Advisor.Core.Findings;

namespace Advisor.Core.Rules.Configuration;

/// <summary>What advisor.yaml changes in one rule: its severity (<c>none</c> turns it off) and thresholds.</summary>
/// <param name="Thresholds">New values by threshold name, with the text as written.</param>
/// <param name="Line">Where the rule's entry starts in the file, for error messages.</param>
public sealed record RuleOverride(string RuleId, Severity? Severity, IReadOnlyDictionary<string, (double Value, string Text, int Line)> Thresholds, int Line);
