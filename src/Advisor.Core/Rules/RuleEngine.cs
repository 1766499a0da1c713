using Advisor.Core.Aggregation;
using Advisor.Core.Findings;

namespace Advisor.Core.Rules;

/// <summary>
/// Runs the catalogue over a snapshot and ranks the findings by estimated saving. Specific rules run first;
/// fallback rules (syscall-storm) then see only the calls no finding explained, so one root cause is
/// reported once.
/// </summary>
public static class RuleEngine
{
    public static IReadOnlyList<Finding> Run(RuleCatalog catalog, AggregateSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(snapshot);
        var findings = new List<Finding>();
        var explained = new HashSet<StatsRow>(ReferenceEqualityComparer.Instance);

        // A rule turned off (severity none) still explains its calls: the user silenced that pattern, and the
        // fallback must not report the same calls again under another name.
        foreach (var rule in catalog.Rules.Where(r => !r.Fallback && r.Analyser is null))
        {
            foreach (var (finding, group) in ConditionRule.Evaluate(rule, snapshot, snapshot.Rows))
            {
                if (rule.Severity != Severity.None)
                {
                    findings.Add(finding);
                }

                explained.UnionWith(group.Rows);
            }
        }

        var unexplained = snapshot.Rows.Where(r => !explained.Contains(r)).ToList();
        foreach (var rule in catalog.Rules.Where(r => r.Fallback && r.Analyser is null && r.Severity != Severity.None))
        {
            findings.AddRange(ConditionRule.Evaluate(rule, snapshot, unexplained).Select(f => f.Finding));
        }

        return findings
            .OrderByDescending(f => f.EstimatedSavingMs)
            .ThenByDescending(f => f.Severity)
            .ThenBy(f => f.RuleId, StringComparer.Ordinal)
            .ToList();
    }
}
