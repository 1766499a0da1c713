using System.Collections.Frozen;

namespace Advisor.Core.Rules.Metrics;

/// <summary>The words a rule's message may name besides the metrics: what the group is about, not numbers.</summary>
public static class MessageLabels
{
    public static readonly FrozenSet<string> All =
        new[] { "syscall", "path", "fd", "thread", "pid", "site", "lockSite", "topErrno", "endpoint", "perRequest", "peer", "server", "spin", "route" }.ToFrozenSet(StringComparer.Ordinal);
}
