using Advisor.Core.Stacks;
using Advisor.Linux.Unwinding;

namespace Advisor.Linux.Bpf;

/// <summary>How the bpf backend records.</summary>
/// <param name="Stacks">Where user stacks are interned; null records none.</param>
/// <param name="StackMode">Which calls get a stack: every one, or the first <paramref name="FirstStacks"/> of each
/// thread × syscall and then one in <paramref name="StackEvery"/> (the kernel keeps the counts).</param>
/// <param name="PollIntervalMs">Longest wait between two drains.</param>
/// <param name="Calibrate">Measure what recording adds to each call when it stops.</param>
/// <param name="StackCopyBytes">User stack copied with each walked stack, with its registers, to unwind native frames
/// that keep no frame pointer (see <see cref="StackUnwinder"/>); 0 keeps the frame-pointer chain alone.</param>
/// <param name="OnlyThread">Records one thread of the process only (the calibration's, in the tool itself); 0 records all.</param>
/// <param name="RingBytes">The ring buffer's size (a power of two, at least a page). Its pages count twice in the
/// tool's RSS: the kernel maps them twice so that a record never wraps.</param>
public sealed record BpfOptions(
    StackTable? Stacks = null,
    StackMode StackMode = StackMode.Sampled,
    uint FirstStacks = 16,
    uint StackEvery = 64,
    int PollIntervalMs = 10,
    bool Calibrate = true,
    int StackCopyBytes = StackCopy.DefaultBytes,
    int OnlyThread = 0,
    ulong RingBytes = BpfOptions.DefaultRingBytes)
{
    /// <summary>
    /// About 230,000 calls (72 bytes each with the ring's header): a quarter second of a 1M calls/s storm, for a
    /// drain that sleeps 10 ms between passes and a tool whose own pauses (its GCs, a busy machine) must cost nothing.
    /// </summary>
    public const ulong DefaultRingBytes = 16UL << 20;
}
