using System.Text;
using Advisor.Core.Findings;
using Advisor.Core.Rules;

namespace Advisor.Reports.Sarif;

/// <summary>The driver's rules: one descriptor per rule the report's findings name, from the catalogue in force.</summary>
internal static class SarifRules
{
    /// <summary>
    /// The descriptors, in id order. A rule the catalogue does not have (a report analysed with custom rules
    /// the caller did not pass) is described from its first finding, so every result still has its rule.
    /// </summary>
    public static IReadOnlyList<SarifRule> For(IReadOnlyList<Finding> findings, RuleCatalog catalog) =>
        findings
            .DistinctBy(f => f.RuleId, StringComparer.OrdinalIgnoreCase)
            .OrderBy(f => f.RuleId, StringComparer.Ordinal)
            .Select(f => catalog.Find(f.RuleId) is { } rule ? Describe(f.RuleId, rule) : Describe(f))
            .ToList();

    private static SarifRule Describe(string id, RuleDefinition rule)
    {
        // General advice first: it is what most readers need; advice for particular frames or paths follows.
        var advice = rule.Advice
            .OrderBy(a => a.IsGeneral ? 0 : 1)
            .Select(a => (Condition: ConditionOf(a), a.Advice));
        return new SarifRule(
            id,
            rule.Name,
            new SarifMessage(rule.Title.Trim()),
            new SarifMessage(rule.Description.Trim()),
            Help(advice),
            new SarifRuleConfiguration(SarifLevels.OfRule(rule.Severity)),
            new SarifRuleProperties(rule.Category));
    }

    private static SarifRule Describe(Finding finding) => new(
        finding.RuleId,
        finding.RuleName,
        new SarifMessage(finding.Title.Trim()),
        FullDescription: null,
        Help(finding.Advice.Select(a => (Condition: (string?)null, Advice: a))),
        new SarifRuleConfiguration(SarifLevels.OfRule(finding.Severity)),
        Properties: null);

    /// <summary>The advice as help: each entry's text, and in Markdown its "after" code as a C# block.</summary>
    private static SarifMessage? Help(IEnumerable<(string? Condition, Advice Advice)> entries)
    {
        var text = new StringBuilder();
        var markdown = new StringBuilder();
        foreach (var (condition, advice) in entries)
        {
            var separator = text.Length > 0 ? "\n\n" : "";
            text.Append(separator).Append(condition is null ? "" : $"When {condition}: ").Append(advice.Text.Trim());
            markdown.Append(separator).Append(condition is null ? "" : $"**When {condition}:** ").Append(advice.Text.Trim());
            if (!string.IsNullOrWhiteSpace(advice.After))
            {
                markdown.Append("\n\n```csharp\n").Append(advice.After.TrimEnd()).Append("\n```");
            }
        }

        return text.Length == 0 ? null : new SarifMessage(text.ToString(), markdown.ToString());
    }

    /// <summary>When a rule's advice applies only to some frames, paths, calls or kinds of fd: "a frame matches `Serilog\.Sinks\.File`".</summary>
    private static string? ConditionOf(AdviceEntry entry)
    {
        var parts = entry.Conditions(p => $"`{p}`");
        return parts.Count == 0 ? null : string.Join(" and ", parts);
    }
}
