using Advisor.Core.Syscalls;
using Advisor.Core.Threads;

namespace Advisor.Core.Aggregation;

/// <summary>Everything the aggregation learned, frozen for the rules and the reports.</summary>
public sealed record AggregateSnapshot(
    SyscallCatalog Catalog,
    IReadOnlyList<StatsRow> Rows,
    IReadOnlyList<FdSlot> Fds,
    IReadOnlyDictionary<int, FdRuns> RunsByFdSlot,
    IReadOnlyList<ThreadInfo> Threads,
    Timeline Timeline,
    long EventsTotal,
    long LostEvents,
    long StartNs,
    long EndNs)
{
    public double DurationSeconds => Math.Max(0, EndNs - StartNs) / 1e9;
}
