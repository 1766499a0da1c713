using Advisor.Core.Stacks;
using Advisor.Linux.Unwinding;

namespace Advisor.Linux.Ptrace;

/// <summary>How the ptrace backend records.</summary>
/// <param name="Stacks">Where the user stack of every call is interned, walked at its entry; null records none.</param>
/// <param name="MaxStackDepth">Deepest stack walked, in frames (perf's default too).</param>
/// <param name="StackCopyBytes">User stack read with each walked stack, to unwind native frames that keep no frame
/// pointer (see <see cref="StackUnwinder"/>); 0 walks the frame-pointer chain alone.</param>
public sealed record PtraceOptions(StackTable? Stacks = null, int MaxStackDepth = 64, int StackCopyBytes = StackCopy.DefaultBytes)
{
    public static PtraceOptions Default { get; } = new();
}
