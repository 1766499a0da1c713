namespace Advisor.Core.Findings;

/// <summary>A call site: the frames (innermost first) and how many of the finding's calls came from it.</summary>
/// <param name="Count">The calls from it; an estimate when <see cref="Sampled"/> is set.</param>
public sealed record StackSample(long Count, IReadOnlyList<string> Frames)
{
    /// <summary>
    /// When only some calls' stacks were walked (<c>--stacks sampled</c>): how many of this site's were, the count
    /// being those scaled by the calls their rows made; null when the count is exact.
    /// </summary>
    public long? Sampled { get; init; }
}
