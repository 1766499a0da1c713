namespace Advisor.Core.Aggregation;

/// <summary>All the data movement and syncing on one fd slot, whichever thread or syscall did it.</summary>
public readonly record struct FdTraffic(long Writes, long WriteBytes, long Reads, long ReadBytes, long Syncs);
