using Advisor.Core.Aggregation;

namespace Advisor.Core.Recording;

/// <summary>
/// A finished recording, ready for the rules: the syscalls joined with the runtime's events (stacks named,
/// thread roles settled), the backend that recorded them, why it stopped, and every note on what it could
/// not see, in the order the report shows them.
/// </summary>
public sealed record RecordingResult(AggregateSnapshot Snapshot, string Backend, StopReason Reason, IReadOnlyList<string> Notes)
{
    /// <summary>The raw events and /proc's answers, kept when an output drawn from them was asked for (<c>.advisor</c>, <c>.trace.json</c>); null otherwise.</summary>
    public KeptEvents? Kept { get; init; }
}
