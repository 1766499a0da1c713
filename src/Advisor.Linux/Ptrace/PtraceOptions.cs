using Advisor.Core.Stacks;

namespace Advisor.Linux.Ptrace;

/// <summary>How the ptrace backend records.</summary>
/// <param name="Stacks">Where the user stack of every call is interned, walked at its entry; null records none.</param>
/// <param name="MaxStackDepth">Deepest stack walked, in frames (perf's default too).</param>
public sealed record PtraceOptions(StackTable? Stacks = null, int MaxStackDepth = 64)
{
    public static PtraceOptions Default { get; } = new();
}
