using Advisor.Core.Findings;

namespace Advisor.Core.Monitoring;

/// <summary>
/// What makes a finding the same one from interval to interval: its rule, its process, and what it is about
/// (the file or endpoint, else the syscalls). Its message is not part of it: the numbers change every interval.
/// </summary>
public sealed record FindingKey(string RuleId, int? Pid, string Subject)
{
    public static FindingKey Of(Finding finding)
    {
        ArgumentNullException.ThrowIfNull(finding);
        return new(finding.RuleId, finding.Process?.Pid, finding.Evidence.Path ?? string.Join("/", finding.Evidence.Syscalls));
    }
}
