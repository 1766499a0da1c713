namespace Advisor.Core.Stacks;

/// <summary>How many calls one interned stack made (see <see cref="StackTable"/>).</summary>
/// <param name="Count">The calls, or, when only some calls' stacks were walked, the estimate scaled from them.</param>
public readonly record struct StackCount(int StackId, long Count)
{
    /// <summary>The calls whose stack was walked, when <see cref="Count"/> is scaled from them; 0 when it is exact.</summary>
    public long Sampled { get; init; }

    /// <summary>The calls whose stack was walked.</summary>
    public long Walked => Sampled == 0 ? Count : Sampled;
}
