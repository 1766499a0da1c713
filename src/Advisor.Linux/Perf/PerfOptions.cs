using Advisor.Core.Stacks;
using Advisor.Linux.Unwinding;

namespace Advisor.Linux.Perf;

/// <summary>How the perf backend records.</summary>
/// <param name="BufferPagesPerCpu">Ring size per CPU, in pages (a power of two). 2048 pages (8 MiB) holds
/// about 50 ms of a 1M syscalls/s storm, far more than the drain interval.</param>
/// <param name="PollIntervalMs">Longest wait between two drains when the rings fill slowly.</param>
/// <param name="Stacks">Where the user-space callchain of every syscall is interned; null records none.
/// The kernel walks frame pointers, which JIT'd and ReadyToRun .NET code keep.</param>
/// <param name="MaxStackDepth">Deepest callchain the kernel walks, in frames.</param>
/// <param name="Calibrate">Measure what recording adds to each call when it stops (see <see cref="TracerCalibration"/>).</param>
/// <param name="OpenPaths">Capture the path each openat was given, with the call (see <see cref="OpenPathCapture"/>).</param>
/// <param name="StackMode">Every call's stack (the enter event walks it), or sampled: a separate sys_enter event
/// walks one in <paramref name="StackEvery"/> per thread and CPU (perf counts periods; it cannot tell the first calls).
/// A prime period: a loop of a few calls repeated (open, flock, write, close) would otherwise have the same one of
/// them sampled every time, and the others never.</param>
/// <param name="StackCopyBytes">User stack copied with each walked stack, with its registers, to unwind native frames
/// that keep no frame pointer (see <see cref="StackUnwinder"/>); 0 keeps the frame-pointer chain alone.</param>
public sealed record PerfOptions(
    int BufferPagesPerCpu = 2048,
    int PollIntervalMs = 10,
    StackTable? Stacks = null,
    int MaxStackDepth = 64,
    bool Calibrate = true,
    bool OpenPaths = true,
    StackMode StackMode = StackMode.All,
    uint StackEvery = 61,
    int StackCopyBytes = StackCopy.DefaultBytes)
{
    public static PerfOptions Default { get; } = new();
}
