namespace Advisor.Core.Events;

/// <summary>One .NET runtime event, on the same OS thread ids and CLOCK_MONOTONIC clock as the syscalls.</summary>
/// <param name="Value">The one number the kind carries (see <see cref="RuntimeEventKind"/>), else 0.</param>
public readonly record struct RuntimeEvent(RuntimeEventKind Kind, int Pid, int Tid, long TimestampNs, long Value = 0);
