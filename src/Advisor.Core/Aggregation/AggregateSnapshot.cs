using Advisor.Core.Syscalls;
using Advisor.Core.Threads;

namespace Advisor.Core.Aggregation;

/// <summary>Everything the aggregation learned, frozen for the rules and the reports.</summary>
public sealed record AggregateSnapshot(
    SyscallCatalog Catalog,
    IReadOnlyList<StatsRow> Rows,
    IReadOnlyList<FdSlot> Fds,
    IReadOnlyDictionary<int, FdRuns> RunsByFdSlot,
    IReadOnlyDictionary<int, FdTraffic> TrafficByFdSlot,
    IReadOnlyList<ThreadInfo> Threads,
    Timeline Timeline,
    long EventsTotal,
    long LostEvents,
    long StartNs,
    long EndNs)
{
    private Dictionary<int, ThreadInfo>? _threadsByTid;

    public double DurationSeconds => Math.Max(0, EndNs - StartNs) / 1e9;

    /// <summary>The threads by id, built once: every finding looks its threads up here.</summary>
    public IReadOnlyDictionary<int, ThreadInfo> ThreadsByTid => _threadsByTid ??= Threads.ToDictionary(t => t.Tid);
}
