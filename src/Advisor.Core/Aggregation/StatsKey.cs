namespace Advisor.Core.Aggregation;

/// <summary>The aggregation key: one thread's calls of one syscall on one fd slot (<see cref="FdSlots.None"/> when not fd-based).</summary>
public readonly record struct StatsKey(int Tid, int Number, int FdSlot);
