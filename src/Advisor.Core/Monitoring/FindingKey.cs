using Advisor.Core.Findings;

namespace Advisor.Core.Monitoring;

/// <summary>
/// What makes a finding the same one from interval to interval: its rule, its process, and the file or endpoint
/// it is about, if any. Not its message, whose numbers change every interval, nor its syscalls: a thread that
/// blocks in poll one interval and in read and poll the next is the same finding, not one cleared and one raised.
/// </summary>
public sealed record FindingKey(string RuleId, int? Pid, string Subject)
{
    public static FindingKey Of(Finding finding)
    {
        ArgumentNullException.ThrowIfNull(finding);
        return new(finding.RuleId, finding.Process?.Pid, finding.Evidence.Path ?? "");
    }
}
