using Advisor.Core.Aggregation;
using Advisor.Core.Findings;
using Advisor.Core.Rules.Metrics;

namespace Advisor.Core.Rules;

/// <summary>
/// Runs the catalogue over a snapshot and ranks the findings by what fixing them gives back (time saved, and time waited). Specific rules run first;
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
        var explainedSites = new HashSet<string>(StringComparer.Ordinal);
        var sites = new RowSites(snapshot);

        // A rule turned off (severity none) still explains its calls: the user silenced that pattern, and the
        // fallback must not report the same calls again under another name.
        foreach (var rule in catalog.Rules.Where(r => !r.Fallback && r.Condition is not null))
        {
            foreach (var (finding, group) in ConditionRule.Evaluate(rule, snapshot, snapshot.Rows))
            {
                if (rule.Severity != Severity.None)
                {
                    findings.Add(finding);
                }

                explained.UnionWith(group.Rows);
                explainedSites.UnionWith(MainSites(group.Rows, snapshot, sites));
            }
        }

        // Other calls from a call site a finding already named are part of that root cause, not a storm of their
        // own: Process.Start's child resets every signal handler before exec (about 70 rt_sigaction per start).
        var unexplained = snapshot.Rows
            .Where(r => !explained.Contains(r) && !(MainSite(r, snapshot) is { } site && explainedSites.Contains(site)))
            .ToList();
        foreach (var rule in catalog.Rules.Where(r => r.Fallback && r.Condition is not null && r.Severity != Severity.None))
        {
            findings.AddRange(ConditionRule.Evaluate(rule, snapshot, unexplained).Select(f => f.Finding));
        }

        return findings
            // What a fix gives back, CPU or latency: a pool blocked in Task.Wait ranks by the time it waited.
            .OrderByDescending(f => f.EstimatedSavingMs + (f.BlockedMs ?? 0))
            .ThenByDescending(f => f.Severity)
            .ThenBy(f => f.RuleId, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>
    /// The call sites that made most of a group's calls. With <paramref name="unwalked"/>, the calls of rows none of
    /// whose calls was walked count at the site their thread, program or process was seen at (a finding's rows);
    /// otherwise only walked stacks count (a row the finding might explain).
    /// </summary>
    private static IEnumerable<string> MainSites(IReadOnlyList<StatsRow> rows, AggregateSnapshot snapshot, RowSites? unwalked = null)
    {
        var bySite = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            var named = false;
            foreach (var stack in row.Stacks)
            {
                if (snapshot.Stacks[stack.StackId].CallSite is { } site)
                {
                    bySite[site] = bySite.GetValueOrDefault(site) + stack.Count;
                    named = true;
                }
            }

            if (!named && unwalked?.OfOrProcess(row) is { Length: > 0 } inferred)
            {
                bySite[inferred] = bySite.GetValueOrDefault(inferred) + row.Stats.Count;
            }
        }

        var total = rows.Sum(r => r.Stats.Count);
        return bySite.Where(s => s.Value * 2 >= total).Select(s => s.Key);
    }

    private static string? MainSite(StatsRow row, AggregateSnapshot snapshot) => MainSites([row], snapshot).FirstOrDefault();
}
