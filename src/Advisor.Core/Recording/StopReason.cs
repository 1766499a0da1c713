namespace Advisor.Core.Recording;

/// <summary>Why a recording ended.</summary>
public enum StopReason
{
    TargetExited,
    DurationElapsed,
    Interrupted,
}
