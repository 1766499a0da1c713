using Advisor.Core.Findings;

namespace Advisor.Core.Monitoring;

/// <summary>A finding that started or stopped between two intervals.</summary>
/// <param name="Finding">Raised: this interval's. Cleared: the last interval it was seen in.</param>
/// <param name="Since">When it was first raised.</param>
public sealed record FindingTransition(FindingChange Change, Finding Finding, DateTimeOffset Since, DateTimeOffset At);

/// <summary>Whether a finding appeared or went away.</summary>
public enum FindingChange
{
    Raised,
    Cleared,
}
