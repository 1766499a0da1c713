using Advisor.Core.Aggregation;
using Advisor.Core.Correlation;
using Advisor.Core.Events;
using Advisor.Core.Stacks;
using Advisor.UnitTests.Stacks;

namespace Advisor.UnitTests.Aggregation;

/// <summary>
/// Runtime events into a real <see cref="RuntimeAggregator"/>, beside a <see cref="SyscallStream"/> of the same
/// process, joined as the recording joins them: the runtime-side twin of SyscallStream.
/// </summary>
internal sealed class RuntimeStream(int pid = 10)
{
    public SyscallStream Syscalls { get; } = new(pid);

    public RuntimeAggregator Runtime { get; } = new();

    public void Emit(RuntimeEventKind kind, int tid, long atNs = 0, long value = 0, params ulong[] stack) =>
        Runtime.OnRuntimeEvent(new RuntimeEvent(kind, pid, tid, atNs, value), stack);

    /// <summary>Both sides joined, stacks named from <paramref name="names"/> (others read M{hex}).</summary>
    public AggregateSnapshot Joined(IReadOnlyDictionary<ulong, StackFrame>? names = null) =>
        Correlator.Join(Syscalls.Snapshot(), new StackTable(), Runtime.Snapshot(), Runtime.Stacks, new TableSymbolizer(names));
}
