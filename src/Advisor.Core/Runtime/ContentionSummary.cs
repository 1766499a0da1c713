using Advisor.Core.Stacks;

namespace Advisor.Core.Runtime;

/// <summary>Lock contention as the runtime reported it (Monitor / lock waits).</summary>
/// <param name="Stacks">Where threads contended, by interned stack of the runtime's stack table.</param>
public sealed record ContentionSummary(long Count, double WaitMs, IReadOnlyList<ThreadContention> Threads, IReadOnlyList<StackCount> Stacks)
{
    public static ContentionSummary Empty { get; } = new(0, 0, [], []);
}

public sealed record ThreadContention(int Tid, long Count, double WaitMs);
