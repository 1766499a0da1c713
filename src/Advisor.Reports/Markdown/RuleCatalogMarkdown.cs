using System.Globalization;
using System.Text;
using Advisor.Core.Findings;
using Advisor.Core.Rules;
using Advisor.Core.Rules.Metrics;
using Advisor.Core.Threads;

namespace Advisor.Reports.Markdown;

/// <summary>
/// docs/rules.md, generated from the rules themselves so it cannot drift: a test compares the file with
/// this output (and rewrites it when ADVISOR_UPDATE_DOCS=1).
/// </summary>
public static class RuleCatalogMarkdown
{
    public static string Render(RuleCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var md = new StringBuilder();
        md.Append("# Rules\n\n");
        md.Append("<!-- Generated from rules/*.yaml by RuleCatalogMarkdown; do not edit by hand.\n");
        md.Append("     Regenerate: ADVISOR_UPDATE_DOCS=1 dotnet test tests/Advisor.UnitTests --filter RulesDocumentation -->\n\n");
        md.Append("The rule catalogue, one YAML file per rule in [`rules/`](../rules), embedded into the tool at build.\n");
        md.Append("`dotnet-advisor rules list` prints it and `dotnet-advisor rules explain ID` shows one rule. Thresholds are\n");
        md.Append("the defaults: [configuration](configuration.md) can change them and the severities. The conditions use the\n");
        md.Append("metrics listed at the end.\n\n");
        md.Append("Each rule's fixes are listed most specific first. A fix may be chosen by a frame of the finding's stacks, the path of\n");
        md.Append(Invariant($"one of its fds, its calls, or the kind of fd it is about ({string.Join(", ", Advisor.Core.Aggregation.FdKinds.Names.Select(n => $"`{n}`"))}):\n"));
        md.Append("a folder listed in a loop is told of a FileSystemWatcher, not to keep a file open. The fixes with no condition are for\n");
        md.Append("the kinds no chosen fix was written for. `{syscall}` in a fix is the finding's call. Calls the runtime makes for itself\n");
        md.Append("on its own threads (its debugger pipe, EventPipe, tiering, timer and socket engine threads), from no frame of the\n");
        md.Append("application's, are no rule's finding.\n\n");

        md.Append("| id | name | severity | category | title |\n|---|---|---|---|---|\n");
        foreach (var rule in catalog.Rules)
        {
            md.Append(Invariant($"| [{rule.Id}](#{Anchor(rule)}) | {rule.Name} | {SeverityNames.Display(rule.Severity)} | {rule.Category} | {rule.Title} |\n"));
        }

        foreach (var rule in catalog.Rules)
        {
            AppendRule(md, rule);
        }

        md.Append("\n## Metrics\n\n");
        md.Append("Every condition and estimate may use these, plus the rule's named thresholds. Numbers may carry units: `64KiB`, `1MiB`, `10ms` (times are in ms).\n\n");
        md.Append("| metric | computed for | meaning |\n|---|---|---|\n");
        foreach (var metric in Metric.All)
        {
            md.Append(Invariant($"| `{metric.Name}` | {ComputedFor(metric.Scope)} | {metric.Meaning} |\n"));
        }

        return md.ToString();
    }

    private static string ComputedFor(MetricScope scope) => scope switch
    {
        MetricScope.Fds => "fd and path groups",
        MetricScope.ThreadPool => "the thread-pool group",
        MetricScope.Conversations => "peer groups",
        MetricScope.Rule => "each rule, from its callSite",
        _ => "every group",
    };

    private static void AppendRule(StringBuilder md, RuleDefinition rule)
    {
        md.Append(Invariant($"\n## {rule.Id} {rule.Name} — {rule.Title}\n\n"));
        md.Append(Invariant($"Severity **{SeverityNames.Display(rule.Severity)}**, category {rule.Category}, grouped by {rule.GroupByText}"));
        md.Append(rule.Fallback ? "; looks only at calls no other rule explained.\n\n" : ".\n\n");
        md.Append(rule.Description).Append("\n\n");
        md.Append(Invariant($"- looks at: {(rule.Syscalls.Count == 0 ? "every syscall" : string.Join(", ", rule.Syscalls.Select(s => $"`{s}`")))}\n"));
        if (rule.ExcludedSyscalls.Count > 0)
        {
            md.Append(Invariant($"- never at: {string.Join(", ", rule.ExcludedSyscalls.Select(s => $"`{s}`"))}\n"));
        }

        if (rule.ThreadRoles.Count > 0)
        {
            md.Append(Invariant($"- only on threads: {string.Join(", ", rule.ThreadRoles.Select(r => $"`{ThreadRoles.Display(r)}`"))}\n"));
        }

        if (rule.Condition is { } condition)
        {
            md.Append(Invariant($"- fires when: `{condition.When.Text}`\n"));
        }

        if (rule.Analyser is { } analyser)
        {
            md.Append(Invariant($"- in `hang`: decided by the `{analyser}` analyser (see docs/hang.md)\n"));
        }

        md.Append(Invariant($"- thresholds: {string.Join(", ", rule.Thresholds.Keys.Select(k => $"`{k}: {rule.ThresholdText.GetValueOrDefault(k) ?? rule.Thresholds[k].ToString(CultureInfo.InvariantCulture)}`"))}\n"));
        if (rule.Condition is { } decided)
        {
            md.Append(Invariant($"- avoidable calls: `{decided.AvoidableCalls.Text}`\n"));
            if (decided.AvoidableWaitMs is { } waitMs)
            {
                md.Append(Invariant($"- waiting the fix gives back, ms: `{waitMs.Text}`\n"));
            }

            if (decided.AvoidableWorkMs is { } workMs)
            {
                md.Append(Invariant($"- CPU the fix saves beyond the calls, ms: `{workMs.Text}`\n"));
            }
            md.Append(Invariant($"- message: `{decided.Message.Text}`\n"));
        }

        md.Append("\nFixes, most specific first:\n");
        foreach (var entry in rule.Advice.Where(a => a.IsSpecific).Concat(rule.Advice.Where(a => !a.IsSpecific && !a.IsGeneral)).Concat(rule.Advice.Where(a => a.IsGeneral)))
        {
            var when = entry.IsGeneral ? "" : " *(when " + string.Join(" and ", entry.Conditions(p => $"`{p}`")) + ")*";
            md.Append(Invariant($"\n- {entry.Advice.Text}{when}\n"));
            AppendCode(md, "before", entry.Advice.Before);
            AppendCode(md, "after", entry.Advice.After);
        }
    }

    private static void AppendCode(StringBuilder md, string label, string? code)
    {
        if (code is null)
        {
            return;
        }

        md.Append(Invariant($"\n  {label}:\n\n  ```csharp\n"));
        foreach (var line in code.Split('\n'))
        {
            md.Append(line.Length == 0 ? "\n" : $"  {line}\n");
        }

        md.Append("  ```\n");
    }

    private static string Anchor(RuleDefinition rule) =>
        new string($"{rule.Id} {rule.Name} — {rule.Title}".ToLowerInvariant()
            .Where(c => char.IsLetterOrDigit(c) || c is ' ' or '-').ToArray()).Replace(' ', '-');

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
