using Advisor.Core.Stacks;

namespace Advisor.Linux.Backends;

/// <summary>What the user asked of the syscall source.</summary>
/// <param name="Name">auto, bpf, perf, ptrace or proc (see <see cref="SyscallBackends.Names"/>).</param>
/// <param name="Stacks">Where the backends intern each walked user stack; null records none.</param>
/// <param name="SampleRateHz">How often the proc backend samples.</param>
/// <param name="StackMode">Which calls' stacks are walked (the bpf backend samples; perf and ptrace walk every call's).</param>
/// <param name="RingBytes">The memory the ring buffers of bpf (one ring) and perf (one per CPU) may take together;
/// null keeps each backend's default, sized for a storm recorded throughout.</param>
public sealed record BackendRequest(string Name, StackTable? Stacks, int SampleRateHz, StackMode StackMode = StackMode.Sampled, ulong? RingBytes = null);
