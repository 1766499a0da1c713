using System.Globalization;
using Advisor.Core.Findings;
using Advisor.Core.Rules;

namespace Advisor.Core.Hang.Verdicts;

/// <summary>
/// Thread-pool starvation at a glance (rules/ADV005-threadpool-starvation.yaml): workers blocked inside work
/// items (waiting on tasks, locks, sockets, sleeps) while the pool has grown past its minimum — the slow
/// injection regime, where queued work waits for the next thread. A worker is judged by where it waits
/// (<see cref="PoolWorker"/>), not by whose code is on its stack: a minimal API's handler runs under ASP.NET
/// Core's compiled delegate, with no application frame between it and the pool.
/// </summary>
internal sealed class StarvationAnalyser : IHangAnalyser
{
    /// <summary>Shared with the rule's condition over recordings, where it is the average number blocked at once.</summary>
    public AnalyserDescriptor Descriptor => AnalyserDescriptor.StarvedPool;

    public VerdictKind Verdict => VerdictKind.ThreadPoolStarvation;

    public string NextStep =>
        "Find the blocking call in the stacks shown and make it async; restarting only buys time. As a stopgap, ThreadPool.SetMinThreads above the number of blocked workers lets queued work run.";

    public IEnumerable<Finding> Find(HangSnapshot snapshot, RuleDefinition rule)
    {
        if (snapshot.Runtime is not { } runtime)
        {
            yield break;
        }

        var workers = PoolWorker.Of(snapshot.Threads);
        var blocked = workers.Where(w => w.State == WorkerState.Blocked).ToList();
        if (blocked.Count == 0 || blocked.Count < AnalyserDescriptor.MinBlockedWorkers.In(rule) || blocked.Count < AnalyserDescriptor.MinBlockedShare.In(rule) * workers.Count
            || workers.Count < runtime.PoolMinThreads)
        {
            yield break;
        }

        var threads = blocked.Select(w => w.Thread).ToList();
        var message = string.Create(
            CultureInfo.InvariantCulture,
            $"{blocked.Count} of {workers.Count} thread-pool workers are blocked inside work items (longest {HangFindings.Duration(threads.Max(t => t.BlockedForMs))}); past its minimum of {runtime.PoolMinThreads} the pool adds one thread at a time{Where(blocked)}");
        var syscall = threads.GroupBy(t => t.BlockedSyscall).OrderByDescending(g => g.Count()).First().Key;
        yield return HangFindings.Create(rule, message, threads, syscall, null, null);
    }

    /// <summary>
    /// "; they wait in MyApp.Orders.Get → Task.Wait, for HTTP: GET /orders/{id:int}": the call most of them
    /// block in, the code that made it and the endpoint they serve, or nothing when the stacks do not say.
    /// </summary>
    private static string Where(List<PoolWorker> blocked)
    {
        var common = blocked.Where(w => w.Site is not null)
            .GroupBy(w => (w.Site, w.Thread.Request?.Endpoint))
            .OrderByDescending(g => g.Count())
            .FirstOrDefault();
        if (common is null)
        {
            return "";
        }

        var who = common.Count() == blocked.Count ? "they wait"
            : common.Count() == 1 ? "1 of them waits"
            : string.Create(CultureInfo.InvariantCulture, $"{common.Count()} of them wait");
        var endpoint = common.Key.Endpoint is { } name ? $", for {name}" : "";
        return $"; {who} in {common.Key.Site}{endpoint}";
    }
}
