using Advisor.Core.Reporting;

namespace Advisor.Core.Monitoring;

/// <summary>Whether a hang triage found a hang: a verdict other than busy or idle, backed by a finding (ADV016, ADV005, ADV015).</summary>
public static class TriageVerdict
{
    public static bool IsHang(AdvisorReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return report.Hang is { Verdict: not ("busy" or "idle") } && report.Findings.Count > 0;
    }

    /// <summary>"ADV016 deadlock", or the verdict alone ("not hung: idle") when there is no finding.</summary>
    public static string Describe(AdvisorReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var verdict = report.Hang?.Verdict ?? "no verdict";
        return IsHang(report) ? $"{string.Join(",", report.Findings.Select(f => f.RuleId).Distinct())} {verdict}" : $"not hung: {verdict}";
    }
}
