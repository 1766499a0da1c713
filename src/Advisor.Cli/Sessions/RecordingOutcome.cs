using Advisor.Core.Aggregation;
using Advisor.Core.Sources;

namespace Advisor.Cli.Sessions;

/// <summary>What a recording produced, and why it ended.</summary>
internal sealed record RecordingOutcome(AggregateSnapshot Snapshot, SourceStatistics Statistics, StopReason Reason);

internal enum StopReason
{
    TargetExited,
    DurationElapsed,
    Interrupted,
}
