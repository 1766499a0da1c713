using Advisor.Core.Stacks;

namespace Advisor.Core.Aggregation;

/// <summary>One aggregation key's totals as handed to the rules: immutable, resolved to names.</summary>
/// <param name="Stacks">The calls per call stack (interned ids), most frequent first; empty without stacks.</param>
public sealed record StatsRow(
    int Pid,
    int Tid,
    int Number,
    string Syscall,
    FdSlot? Fd,
    SyscallStats Stats,
    long[] Histogram,
    IReadOnlyDictionary<int, long> ErrorsByErrno,
    IReadOnlyList<StackCount> Stacks);
