namespace Advisor.Core.Hang.Verdicts;

/// <summary>Threads that each wait for a lock the next one holds, the last one closing the circle.</summary>
/// <param name="Links">Each waiting thread with the lock it waits for (held by the next link's thread).</param>
public sealed record LockCycle(IReadOnlyList<(int Tid, MonitorLock WaitsFor)> Links)
{
    /// <summary>
    /// Every cycle in the wait-for graph "waiter → owner of the lock it waits for". A thread waits for one
    /// lock at a time, so following the edges from each thread finds each cycle once.
    /// </summary>
    public static IReadOnlyList<LockCycle> Find(IReadOnlyList<MonitorLock> locks)
    {
        ArgumentNullException.ThrowIfNull(locks);
        var waitsFor = new Dictionary<int, MonitorLock>();
        foreach (var held in locks)
        {
            foreach (var waiter in held.WaiterTids)
            {
                waitsFor.TryAdd(waiter, held);
            }
        }

        var cycles = new List<LockCycle>();
        var done = new HashSet<int>();
        foreach (var start in waitsFor.Keys.Order())
        {
            var path = new List<int>();
            var tid = start;
            while (!done.Contains(tid) && !path.Contains(tid) && waitsFor.TryGetValue(tid, out var held))
            {
                path.Add(tid);
                tid = held.OwnerTid;
            }

            var loop = path.IndexOf(tid);
            if (loop >= 0)
            {
                cycles.Add(new LockCycle(path.Skip(loop).Select(t => (t, waitsFor[t])).ToList()));
            }

            done.UnionWith(path);
        }

        return cycles;
    }
}
