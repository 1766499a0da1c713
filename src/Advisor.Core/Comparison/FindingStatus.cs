namespace Advisor.Core.Comparison;

/// <summary>What became of a finding between the two runs.</summary>
public enum FindingStatus
{
    /// <summary>In the before run only: the fix worked.</summary>
    Fixed,

    /// <summary>In the after run only: the change brought it (what <c>--fail-on-new</c> gates on).</summary>
    New,

    /// <summary>In both runs, with its rates compared.</summary>
    Still,
}
