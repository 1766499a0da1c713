namespace Advisor.Core.Rules.Metrics;

/// <summary>Which groups compute a metric; elsewhere it is 0.</summary>
public enum MetricScope
{
    /// <summary>Every group, from its calls (lock-site and thread-pool groups: from their waits).</summary>
    Calls,

    /// <summary>Groups of calls on fds (fd, path): what happened on those fds, whatever the rule's syscalls.</summary>
    Fds,

    /// <summary>The thread-pool group, from the runtime's pool events.</summary>
    ThreadPool,

    /// <summary>Groups by peer: the exchanges of this process's client sockets with that server.</summary>
    Conversations,

    /// <summary>Each rule's own, from its <c>callSite</c>: computed when its condition asks.</summary>
    Rule,
}
