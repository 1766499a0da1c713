using Advisor.Core.Stacks;
using Advisor.Linux.Backends;
using Advisor.Runtime.EventPipe;

namespace Advisor.Runtime.Capture;

/// <summary>What the user asked a live capture to record.</summary>
/// <param name="Backend">auto, bpf, perf, ptrace or proc (see <see cref="SyscallBackends.Names"/>).</param>
/// <param name="StackMode">Which calls' stacks are walked; <see cref="StackMode.None"/> keeps no stack table at all.</param>
/// <param name="SampleRateHz">How often the proc backend samples.</param>
public sealed record CaptureRequest(string Backend, StackMode StackMode, int SampleRateHz)
{
    /// <summary>The ring memory the backend may take (see <see cref="BackendRequest.RingBytes"/>); null keeps its default.</summary>
    public ulong? RingBytes { get; init; }

    /// <summary>The runtime events asked of a watch's sessions; a recording asks for the default.</summary>
    public RuntimeEventParts RuntimeParts { get; init; } = RuntimeEventParts.Default;

    /// <summary>
    /// The first output drawn from raw events (<c>.advisor</c>, <c>.trace.json</c>), when there is one: the events are
    /// then kept, spilled beside it.
    /// </summary>
    public string? KeepEventsFor { get; init; }
}
