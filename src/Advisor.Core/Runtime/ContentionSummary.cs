using Advisor.Core.Stacks;

namespace Advisor.Core.Runtime;

/// <summary>Lock contention as the runtime reported it (Monitor / lock waits).</summary>
/// <param name="Sites">Where threads contended, by interned stack of the runtime's stack table, most first.</param>
public sealed record ContentionSummary(long Count, double WaitMs, IReadOnlyList<ThreadContention> Threads, IReadOnlyList<WaitSite> Sites)
{
    public static ContentionSummary Empty { get; } = new(0, 0, [], []);
}

/// <summary>One place threads contended: its stack, how often, how long they waited there, and who.</summary>
/// <param name="Tids">The threads that waited there (at most 64 are kept).</param>
public sealed record WaitSite(int StackId, long Count, double WaitMs, IReadOnlyList<int> Tids)
{
    public StackCount AsStackCount => new(StackId, Count);
}

public sealed record ThreadContention(int Tid, long Count, double WaitMs);
