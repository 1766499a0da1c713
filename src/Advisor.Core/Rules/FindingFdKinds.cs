using Advisor.Core.Aggregation;
using Advisor.Core.Rules.Metrics;

namespace Advisor.Core.Rules;

/// <summary>
/// The kinds of fd a finding is about, which pick the advice that fits it (<see cref="AdviceEntry.Fds"/>).
/// </summary>
public static class FindingFdKinds
{
    /// <summary>
    /// The kind(s) that carry most of the group's calls, a call without an fd counting as <see cref="FdKind.None"/>:
    /// a thread's File.Exists checks beside a directory it lists now and then are about files. A group whose
    /// calls take no fd at all (sleeps, futex waits) is about what its threads do between them: the kinds of
    /// the fds they look at again and again, about as often as the group's calls come (a folder listed between
    /// sleeps).
    /// </summary>
    public static IReadOnlySet<FdKind> Of(AggregateSnapshot snapshot, MetricGroup group)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(group);
        var own = Weigh(group.Rows);
        if (own.Keys.Any(k => k != FdKind.None))
        {
            return Dominant(own);
        }

        var count = group.Rows.Sum(r => r.Stats.Count);
        var mine = new HashSet<StatsRow>(group.Rows, ReferenceEqualityComparer.Instance);
        var tids = group.ThreadCounts.Select(t => t.Tid).ToHashSet();
        // The same folder or socket looked at again and again, at least once per two of the group's calls: what
        // the loop polls. The files it then takes (each its own path, touched a few times) or a log written now
        // and then are not.
        var polled = snapshot.Rows
            .Where(r => r.Fd is not null && tids.Contains(r.Tid) && !mine.Contains(r))
            .GroupBy(r => (r.Pid, r.Fd!.Description))
            .Where(g => g.Sum(r => r.Stats.Count) * 2 >= count)
            .SelectMany(g => g);
        var around = Weigh(polled);
        around.Remove(FdKind.None);
        return around.Count == 0 ? new HashSet<FdKind> { FdKind.None } : Dominant(around);
    }

    private static Dictionary<FdKind, long> Weigh(IEnumerable<StatsRow> rows)
    {
        var calls = new Dictionary<FdKind, long>();
        foreach (var row in rows)
        {
            var kind = row.Fd is null ? FdKind.None : FdKinds.Of(row.Fd.Description);
            calls[kind] = calls.GetValueOrDefault(kind) + row.Stats.Count;
        }

        return calls;
    }

    /// <summary>The kinds with at least half the calls of the busiest: SQLite's directory, synced once per commit beside its journal twice, is not what the finding is about.</summary>
    private static HashSet<FdKind> Dominant(Dictionary<FdKind, long> calls)
    {
        var top = calls.Values.DefaultIfEmpty(0).Max();
        return calls.Where(c => c.Value * 2 >= top).Select(c => c.Key).ToHashSet();
    }
}
