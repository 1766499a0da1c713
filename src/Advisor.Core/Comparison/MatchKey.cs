using Advisor.Core.Findings;

namespace Advisor.Core.Comparison;

/// <summary>
/// What makes a finding the same one in two runs: its rule, its process's name (pids change from run to run) and
/// its call site. Not the file or endpoint, which a run may name afresh (a temp file per pid), nor the message.
/// </summary>
public sealed record MatchKey(string RuleId, string? Process, string? CallSite)
{
    public static MatchKey Of(Finding finding)
    {
        ArgumentNullException.ThrowIfNull(finding);
        return new(finding.RuleId, finding.Process?.Name, finding.CallSite);
    }
}
