using Advisor.Core.Reporting;

namespace Advisor.Core.Recording;

/// <summary>What a recording says about itself: who made it, of what, on which architecture, and its clock.</summary>
/// <param name="Architecture">The syscall numbering of the events ("x86_64", "arm64").</param>
/// <param name="OriginNs">CLOCK_MONOTONIC time the aggregation started from.</param>
/// <param name="EndNs">CLOCK_MONOTONIC time the recording ended.</param>
/// <param name="Notes">The live report's session notes, kept so `report` says what the live run said.</param>
public sealed record RecordingMetadata(
    string ToolVersion,
    string Architecture,
    TargetInfo Target,
    string Backend,
    long OriginNs,
    long EndNs,
    long LostEvents,
    IReadOnlyList<string> Notes)
{
    /// <summary>What the recorder added to each call, as measured when it stopped (absent from older recordings).</summary>
    public Sources.TracerCost? Tracer { get; init; }
}
