using Advisor.Core.Aggregation;
using Advisor.Core.Findings;
using Advisor.Core.Runtime;
using Advisor.Core.Stacks;
using Advisor.Core.Threads;

namespace Advisor.Core.Reporting;

/// <summary>Assembles the report from a snapshot, its findings and what is known of the target.</summary>
public static class ReportBuilder
{
    /// <summary>Runs the rules over a recording (live, replayed or imported) and assembles its report.</summary>
    public static AdvisorReport Analyse(
        ToolInfo tool, TargetInfo target, string backend, IReadOnlyList<string> notes, AggregateSnapshot snapshot, Rules.RuleCatalog rules) =>
        Build(tool, target, backend, notes, snapshot, Rules.RuleEngine.Run(rules, snapshot));

    public static AdvisorReport Build(
        ToolInfo tool,
        TargetInfo target,
        string backend,
        IReadOnlyList<string> notes,
        AggregateSnapshot snapshot,
        IReadOnlyList<Finding> findings)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var syscalls = PerSyscall(snapshot.Rows);

        var perThread = snapshot.Rows.GroupBy(r => r.Tid).ToDictionary(g => g.Key, g => g.Sum(r => r.Stats.Count));
        var threads = snapshot.Threads
            .Select(t => new ThreadReport(t.Tid, t.Name, ThreadRoles.Display(t.Role), perThread.GetValueOrDefault(t.Tid))
            {
                Pid = t.Pid,
                Process = snapshot.ProcessOf(t.Pid).Name,
            })
            .OrderByDescending(t => t.Syscalls)
            .ThenBy(t => t.Tid)
            .ToList();

        var tracer = snapshot.Tracer;
        var session = new SessionInfo(backend, snapshot.DurationSeconds, snapshot.EventsTotal, snapshot.LostEvents, notes)
        {
            RecorderCost = tracer.Known ? new RecorderCost(tracer.InWindowNs / 1e3, tracer.StackNs / 1e3, tracer.PerFrameNs / 1e3, tracer.CrossingNs / 1e3) : null,
            Observer = snapshot.ObserverRows.Count == 0 ? null : new ObserverCalls(PerSyscall(snapshot.ObserverRows)),
        };
        return new AdvisorReport(
            AdvisorReport.CurrentSchemaVersion, tool, target, session, new ReportSummary(syscalls, CallSitesOf(snapshot)), threads, findings, Runtime(snapshot.Runtime, snapshot.RequestsRecorded));
    }

    /// <summary>The rows' totals per syscall, most calls first.</summary>
    private static List<SyscallSummary> PerSyscall(IEnumerable<StatsRow> rows) =>
        rows
            .GroupBy(r => r.Syscall)
            .Select(g => new SyscallSummary(
                g.Key,
                g.Sum(r => r.Stats.Count),
                g.Sum(r => r.Stats.Errors),
                g.Sum(r => r.Stats.TotalNs) / 1e6,
                g.Sum(r => r.Stats.Bytes)))
            .OrderByDescending(s => s.Count)
            .ThenBy(s => s.Name, StringComparer.Ordinal)
            .ToList();

    /// <summary>Beyond this many (syscall, call site) pairs the report keeps the busiest.</summary>
    public const int MaxCallSites = 200;

    /// <summary>Calls per syscall and application call site, busiest first; null when nothing was recorded with stacks.</summary>
    private static IReadOnlyList<CallSiteSummary>? CallSitesOf(AggregateSnapshot snapshot)
    {
        var counts = new Dictionary<(string Syscall, string Site), long>();
        foreach (var row in snapshot.Rows)
        {
            foreach (var (id, count) in row.Stacks)
            {
                if (snapshot.Stacks[id].CallSite is { } site)
                {
                    counts[(row.Syscall, site)] = counts.GetValueOrDefault((row.Syscall, site)) + count;
                }
            }
        }

        return counts.Count == 0
            ? null
            : counts.Select(p => new CallSiteSummary(p.Key.Syscall, p.Key.Site, p.Value))
                .OrderByDescending(c => c.Count)
                .ThenBy(c => c.Syscall, StringComparer.Ordinal)
                .ThenBy(c => c.Site, StringComparer.Ordinal)
                .Take(MaxCallSites)
                .ToList();
    }

    private static RuntimeReport? Runtime(RuntimeSnapshot runtime, double requestsRecorded)
    {
        if (!runtime.Available)
        {
            return null;
        }

        var events = runtime.Counts.ToDictionary(p => JsonNaming.Camel(p.Key.ToString()), p => p.Value);
        var stacks = CallSites.Samples(CallSites.Rank(runtime.Contention.Sites.Select(s => s.AsStackCount), runtime.Stacks));
        var contention = new ContentionReport(runtime.Contention.Count, runtime.Contention.WaitMs, runtime.Contention.Threads.Take(20).ToList(), stacks);
        var served = runtime.Requests;
        var requests = served.Known
            ? new RequestsReport((long)Math.Round(requestsRecorded), served.PerSecond, served.InFlight, served.MaxInFlight)
            : null;
        return new RuntimeReport(events, contention, runtime.ThreadPool, runtime.Gc, runtime.Exceptions, requests);
    }
}
