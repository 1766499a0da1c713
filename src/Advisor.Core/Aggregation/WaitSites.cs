using Advisor.Core.Runtime;
using Advisor.Core.Stacks;

namespace Advisor.Core.Aggregation;

/// <summary>
/// Where threads waited: each wait begins with the stack of the waiting thread and ends on the same thread,
/// and its time is charged to that stack. Used for lock contention and for blocking waits on pool workers.
/// Bounded; not thread-safe (its owner locks).
/// </summary>
internal sealed class WaitSites(StackTable stacks)
{
    private const int MaxSites = 65536;
    private const int MaxThreads = 4096;
    private const int MaxTidsPerSite = 64;

    private readonly Dictionary<int, Site> _sites = new();
    private readonly Dictionary<int, (int Site, long Since, bool Carried)> _waiting = new();

    public long Waits { get; private set; }

    public long WaitNs { get; private set; }

    public void Begin(int pid, int tid, long startNs, ReadOnlySpan<ulong> stack) => Begin(pid, tid, startNs, stack, carried: false);

    /// <summary>
    /// Hands the waits still under way to <paramref name="next"/> (monitor's next interval), as begun at
    /// <paramref name="sinceNs"/>: a worker blocked across the boundary is blocked in both, each charged its part.
    /// </summary>
    public void CarryInto(WaitSites next, long sinceNs)
    {
        foreach (var (tid, wait) in _waiting)
        {
            next.Begin(stacks.PidOf(wait.Site), tid, Math.Max(wait.Since, sinceNs), stacks.FramesOf(wait.Site), carried: true);
        }
    }

    private void Begin(int pid, int tid, long startNs, ReadOnlySpan<ulong> stack, bool carried)
    {
        var id = stacks.Intern(pid, stack);
        if (id > StackTable.None && (_sites.ContainsKey(id) || _sites.Count < MaxSites))
        {
            if (!_sites.TryGetValue(id, out var site))
            {
                _sites[id] = site = new Site();
            }

            site.Count++;
            if (site.Tids.Count < MaxTidsPerSite)
            {
                site.Tids.Add(tid);
            }
        }

        if (_waiting.Count < MaxThreads || _waiting.ContainsKey(tid))
        {
            _waiting[tid] = (id, startNs, carried);
        }
    }

    /// <param name="reportedNs">The wait's duration when the event says it (ContentionStop does), else 0.</param>
    /// <returns>The wait's duration, or -1 when its beginning was not seen.</returns>
    public long End(int tid, long endNs, long reportedNs = 0)
    {
        if (!_waiting.Remove(tid, out var wait))
        {
            return -1;
        }

        // A carried wait's reported length includes the interval before; its part here is from the carry.
        var duration = reportedNs > 0 && !wait.Carried ? reportedNs : Math.Max(0, endNs - wait.Since);
        Waits++;
        WaitNs += duration;
        if (_sites.TryGetValue(wait.Site, out var site))
        {
            site.WaitNs += duration;
        }

        return duration;
    }

    public IReadOnlyList<WaitSite> Snapshot() =>
        _sites.Select(p => new WaitSite(p.Key, p.Value.Count, p.Value.WaitNs / 1e6, p.Value.Tids.Order().ToList()))
            .OrderByDescending(s => s.Count)
            .ToList();

    private sealed class Site
    {
        public long Count;
        public long WaitNs;
        public readonly HashSet<int> Tids = [];
    }
}
