using Advisor.Core.Stacks;

namespace Advisor.Linux.Backends;

/// <summary>What the user asked of the syscall source.</summary>
/// <param name="Name">auto, perf, ptrace or proc (see <see cref="SyscallBackends.Names"/>).</param>
/// <param name="Stacks">Where perf and ptrace intern each call's user stack; null records none.</param>
/// <param name="SampleRateHz">How often the proc backend samples.</param>
public sealed record BackendRequest(string Name, StackTable? Stacks, int SampleRateHz);
