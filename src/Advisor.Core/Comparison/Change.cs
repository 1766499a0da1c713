namespace Advisor.Core.Comparison;

/// <summary>One measure in both runs, as a rate (per second or per request), and how it moved.</summary>
public sealed record Change(double Before, double After)
{
    public static Change Zero { get; } = new(0, 0);

    /// <summary>After less before: negative is fewer calls, less time.</summary>
    public double Delta => After - Before;

    /// <summary>The delta as a percentage of before; null when before was zero (a rise from nothing has no ratio).</summary>
    public double? Percent => Before == 0 ? null : 100 * (After - Before) / Before;
}
