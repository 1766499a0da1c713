using Advisor.Core.Stacks;

namespace Advisor.UnitTests.Stacks;

/// <summary>Names each address from a table the test gives (addresses not in it read M{hex}, as user code).</summary>
internal sealed class TableSymbolizer(IReadOnlyDictionary<ulong, StackFrame>? names = null) : IStackSymbolizer
{
    public CallStack Symbolize(int pid, ReadOnlySpan<ulong> frames) =>
        new(frames.ToArray().Select(f => names?.GetValueOrDefault(f) ?? new StackFrame($"M{f:x}", FrameKind.User)).ToList());
}
