using System.Globalization;
using Advisor.Core.Findings;
using Advisor.Core.Rules;
using Advisor.Core.Threads;

namespace Advisor.Core.Hang.Verdicts;

/// <summary>
/// Names what is wrong with a stalled process: a deadlock, a starved thread pool, threads stuck in I/O —
/// in that order, since each explains the ones after it — or, when none holds, busy or idle.
/// </summary>
public static class HangVerdicts
{
    /// <summary>
    /// A thread using at least this share of the window's CPU is busy; so is one the scheduler shows runnable
    /// (R) — on a loaded machine a spinning thread waits for a core as much as it gets one.
    /// </summary>
    private const double BusyCpuShare = 0.25;

    public static HangAnalysis Analyse(HangSnapshot snapshot, RuleCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(catalog);

        // Every rule that hands its hang verdict to an analyser (the loader checked the name), unless configuration
        // turned it off; the most serious cause first: a deadlock explains starved workers, which explain stuck reads.
        var found = catalog.Rules
            .Where(r => r.Analyser is not null && r.Severity != Severity.None)
            .Select(r => (Analyser: HangAnalysers.Find(r.Analyser!)!, Rule: r))
            .Select(r => (r.Analyser, Findings: r.Analyser.Find(snapshot, r.Rule).ToList()))
            .Where(r => r.Findings.Count > 0)
            .OrderBy(r => r.Analyser.Verdict)
            .ToList();
        var findings = found.SelectMany(r => r.Findings)
            .OrderByDescending(f => f.Severity)
            .ThenByDescending(f => f.EstimatedSavingMs)
            .ToList();
        var verdict = found.Count == 0
            ? BusyOrIdle(snapshot)
            : Verdict(snapshot, found[0].Analyser, found.Where(r => r.Analyser.Verdict == found[0].Analyser.Verdict).SelectMany(r => r.Findings).ToList());
        return new HangAnalysis(verdict, findings, InFlightRequest.Find(snapshot.Threads));
    }

    private static HangVerdict Verdict(HangSnapshot snapshot, IHangAnalyser analyser, List<Finding> findings) =>
        new(
            analyser.Verdict,
            findings.Count == 1 ? findings[0].Message : $"{findings[0].Message} (and {findings.Count - 1} more)",
            analyser.NextStepFor(snapshot, findings[0]));

    private static HangVerdict BusyOrIdle(HangSnapshot snapshot)
    {
        var busy = snapshot.Threads
            .Where(t => t.Activity == ThreadActivity.Running && !ThreadRoles.IsRuntimeInternal(t.Role)
                && (t.CpuMs >= BusyCpuShare * snapshot.WindowMs || t.State == 'R'))
            .OrderByDescending(t => t.CpuMs)
            .ToList();
        if (busy.Count > 0)
        {
            var named = busy.Take(3).Select(t => string.Create(
                CultureInfo.InvariantCulture, $"{HangFindings.Name(t)} {t.CpuMs / snapshot.WindowMs:P0} CPU{HangFindings.From(t)}"));
            return new HangVerdict(
                VerdictKind.Busy,
                $"not hung, busy: {busy.Count} thread{(busy.Count == 1 ? " is" : "s are")} on the CPU — {string.Join("; ", named)}{(busy.Count > 3 ? "; …" : "")}",
                NextSteps.Busy);
        }

        // A service under load: its workers wait between requests far more often than a sample finds them running, yet
        // together they use a real share of a CPU (seven Kestrel workers at 4,000 requests/s were "idle").
        var working = snapshot.Threads.Where(t => t.CpuMs > 0 && !ThreadRoles.IsRuntimeInternal(t.Role)).OrderByDescending(t => t.CpuMs).ToList();
        var cpuMs = working.Sum(t => t.CpuMs);
        if (cpuMs >= BusyCpuShare * snapshot.WindowMs)
        {
            var named = working.Take(3).Select(t => string.Create(CultureInfo.InvariantCulture, $"{HangFindings.Name(t)} {t.CpuMs / snapshot.WindowMs:P0}"));
            return new HangVerdict(
                VerdictKind.Busy,
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"not hung, busy: {working.Count} thread{(working.Count == 1 ? "" : "s")} used {cpuMs / snapshot.WindowMs:P0} of a CPU between waits — {string.Join("; ", named)}{(working.Count > 3 ? "; …" : "")}"),
                NextSteps.Busy);
        }

        // Pool workers blocked inside work items hold the pool: not waiting for work, whatever their frames.
        var workers = PoolWorker.Of(snapshot.Threads).ToDictionary(w => w.Thread.Tid);
        var held = workers.Values.Where(w => w.State == WorkerState.Blocked).ToList();
        var waiting = snapshot.Threads.Count(t => t.Activity is ThreadActivity.Blocked or ThreadActivity.Waking) - held.Count;
        var blockedWorkers = held.Count == 0
            ? ""
            : string.Create(CultureInfo.InvariantCulture, $"; {held.Count} thread-pool worker{(held.Count == 1 ? " is" : "s are")} blocked inside work items{Site(held)}");

        // A parked worker's wait is the pool's, not a lead.
        var application = snapshot.Threads
            .Where(t => t.Activity == ThreadActivity.Blocked && !ThreadRoles.IsRuntimeInternal(t.Role) && t.BlockedForMs is not null
                && workers.GetValueOrDefault(t.Tid)?.State != WorkerState.Parked)
            .OrderByDescending(t => t.BlockedForMs)
            .FirstOrDefault();
        var longest = application is null
            ? ""
            : $"; the longest wait: {HangFindings.Name(application)}, {HangFindings.Duration(application.BlockedForMs)} in {application.BlockedSyscall}{HangFindings.From(application)}";
        return new HangVerdict(
            VerdictKind.Idle,
            string.Create(CultureInfo.InvariantCulture, $"not hung, idle: no thread is on the CPU or stuck in I/O, {waiting} wait for work{blockedWorkers}{longest}"),
            NextSteps.Idle);
    }

    /// <summary>" (in MyApp.Orders.Get → Task.Wait)": where most of them wait, when the stacks say.</summary>
    private static string Site(List<PoolWorker> workers) =>
        workers.Select(w => w.Site).OfType<string>().GroupBy(s => s).OrderByDescending(g => g.Count()).FirstOrDefault()?.Key is { } site
            ? $" (in {site})"
            : "";

    private static class NextSteps
    {
        public const string Busy =
            "The process is working, not stuck: if it is too slow, profile where the CPU goes (dotnet-trace, or dotnet-advisor profile for syscalls) starting from the stacks shown.";

        public const string Idle =
            "Nothing is stuck inside the process: if it does not serve requests, check that they reach it (listening sockets, load balancer, firewall) and look at what the waiting threads wait for.";
    }
}
