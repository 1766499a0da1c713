namespace Advisor.Core.Stacks;

/// <summary>How many calls one interned stack made (see <see cref="StackTable"/>).</summary>
public readonly record struct StackCount(int StackId, long Count);
