using System.Globalization;
using Advisor.Core.Findings;
using Advisor.Core.Reporting;
using Advisor.Core.Syscalls;

namespace Advisor.Core.Gates;

/// <summary>
/// The CI gates (docs/ci.md): findings at or above a severity (<c>--fail-on</c>), a syscall budget
/// (<c>--budget</c>), and a regression against a baseline report (<c>--baseline</c> with
/// <c>--max-regression</c>). Each returns what exceeded; none means the gate passes.
/// </summary>
public static class Gate
{
    /// <summary>
    /// A call site's count rises by fewer calls than this without being a regression: a handful of calls come
    /// and go with the runtime's own timing (tiering, GC), and a percentage of a small count is noise.
    /// </summary>
    public const long MinRegressionCalls = 50;

    public static IReadOnlyList<GateViolation> FailOn(AdvisorReport report, Severity threshold)
    {
        ArgumentNullException.ThrowIfNull(report);
        return threshold == Severity.None
            ? []
            : report.Findings
                .Where(f => f.Severity >= threshold)
                .Select(f => new GateViolation("fail-on", $"{f.RuleId} {f.RuleName} finding", $"below {SeverityNames.Display(threshold)}", SeverityNames.Display(f.Severity)))
                .ToList();
    }

    /// <summary>
    /// <c>diff --fail-on-new</c>: each finding of the after run, at or above the severity, that the before run did
    /// not have (matched by rule, process and call site).
    /// </summary>
    public static IReadOnlyList<GateViolation> NewFindings(Comparison.RunDiff diff, Severity threshold)
    {
        ArgumentNullException.ThrowIfNull(diff);
        return threshold == Severity.None
            ? []
            : diff.Findings
                .Where(f => f.Status == Comparison.FindingStatus.New && f.Severity >= threshold)
                .Select(f => new GateViolation(
                    "fail-on-new",
                    $"{f.RuleId} {f.RuleName} finding{(f.CallSite is null ? "" : $" from {f.CallSite}")}",
                    $"none new at {SeverityNames.Display(threshold)} or above",
                    $"new, {SeverityNames.Display(f.Severity)}"))
                .ToList();
    }

    public static IReadOnlyList<GateViolation> Within(AdvisorReport report, Budget budget)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(budget);
        var violations = new List<GateViolation>();
        foreach (var (syscall, max) in budget.Syscalls)
        {
            var count = report.Summary.Syscalls.Where(s => s.Name == syscall).Sum(s => s.Count);
            if (count > max)
            {
                violations.Add(new GateViolation("budget", $"syscall {syscall}", Count(max), Count(count)));
            }
        }

        foreach (var (rule, max) in budget.Rules)
        {
            var count = report.Findings.Count(f => f.RuleId == rule);
            if (count > max)
            {
                violations.Add(new GateViolation("budget", $"rule {rule} findings", Count(max), Count(count)));
            }
        }

        var sites = report.Summary.CallSites ?? [];
        foreach (var limit in budget.CallSites)
        {
            var count = sites
                .Where(c => c.Site.Contains(limit.Site, StringComparison.Ordinal) && (limit.Syscall is null || c.Syscall == limit.Syscall))
                .Sum(c => c.Count);
            if (count > limit.Max)
            {
                violations.Add(new GateViolation("budget", $"{limit.Syscall ?? "calls"} from {limit.Site}", Count(limit.Max), Count(count)));
            }
        }

        return violations;
    }

    /// <summary>
    /// Calls per syscall and call site against the baseline's: a rise of more than <paramref name="maxRegression"/>
    /// (0.10 for 10 %) and more than <see cref="MinRegressionCalls"/> calls is a regression. Call sites new since
    /// the baseline count from zero. Waits, yields, sleeps and polls are left out: their counts follow the
    /// machine's timing, which is what a count-based gate must not depend on.
    /// </summary>
    public static IReadOnlyList<GateViolation> AgainstBaseline(AdvisorReport current, AdvisorReport baseline, double maxRegression)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(baseline);
        var before = (baseline.Summary.CallSites ?? []).ToDictionary(c => (c.Syscall, c.Site), c => c.Count);
        return (current.Summary.CallSites ?? [])
            .Where(c => (SyscallSemantics.Of(c.Syscall) & SyscallTraits.TimingDependent) == 0)
            .Select(c => (Site: c, Before: before.GetValueOrDefault((c.Syscall, c.Site))))
            .Where(c => c.Site.Count - c.Before > MinRegressionCalls && c.Site.Count > c.Before * (1 + maxRegression))
            .OrderByDescending(c => c.Site.Count - c.Before)
            .Select(c => new GateViolation(
                "baseline",
                $"{c.Site.Syscall} from {c.Site.Site}",
                string.Create(CultureInfo.InvariantCulture, $"{Count(c.Before)} +{maxRegression:P0}"),
                c.Before == 0
                    ? string.Create(CultureInfo.InvariantCulture, $"{Count(c.Site.Count)} (new)")
                    : string.Create(CultureInfo.InvariantCulture, $"{Count(c.Site.Count)} (+{(c.Site.Count - c.Before) / (double)c.Before:P0})")))
            .ToList();
    }

    private static string Count(long n) => n.ToString("N0", CultureInfo.InvariantCulture);
}
