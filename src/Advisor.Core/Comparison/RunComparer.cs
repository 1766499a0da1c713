using Advisor.Core.Findings;
using Advisor.Core.Reporting;

namespace Advisor.Core.Comparison;

/// <summary>
/// Compares two runs of one program: each finding matched by rule, process name and call site, and every measure
/// turned into a rate (per request when both runs served requests, else per second) so runs of different lengths
/// compare; raw totals are shown, never compared.
/// </summary>
public static class RunComparer
{
    /// <exception cref="Failures.AdvisorException">The runs did different work (<see cref="SameWork"/>): exit 2.</exception>
    public static RunDiff Compare(ToolInfo tool, DiffInput before, DiffInput after)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        SameWork.Require(before, after);
        var perRequest = SameWork.Requests(before.Report) is not null && SameWork.Requests(after.Report) is not null;
        var (b, a) = (new Rates(before.Report, perRequest), new Rates(after.Report, perRequest));
        return new RunDiff(
            RunDiff.CurrentSchemaVersion,
            tool,
            perRequest ? RunDiff.PerRequest : RunDiff.PerSecond,
            Summary(before),
            Summary(after),
            Findings(b, a),
            Syscalls(b, a),
            Runtime(b, a),
            Notes(before, after));
    }

    private static List<FindingChange> Findings(Rates before, Rates after)
    {
        var bySite = !NamesNoSite(before.Report) && !NamesNoSite(after.Report);
        var was = Grouped(before.Report, bySite);
        var now = Grouped(after.Report, bySite);
        var changes = new List<FindingChange>();
        foreach (var key in was.Keys.Concat(now.Keys).Distinct())
        {
            var (old, current) = (was.GetValueOrDefault(key), now.GetValueOrDefault(key));
            var status = old is null ? FindingStatus.New : current is null ? FindingStatus.Fixed : FindingStatus.Still;
            var first = (current ?? old)!;
            var lead = first.MaxBy(f => f.EstimatedSavingMs)!;
            var severity = first.Max(f => f.Severity);
            changes.Add(new FindingChange(
                status,
                key.RuleId,
                lead.RuleName,
                severity,
                lead.Title,
                key.Process,
                bySite ? lead.CallSite : null,
                Side(old),
                Side(current),
                new Change(before.Of(Sum(old, f => f.Evidence.Count)), after.Of(Sum(current, f => f.Evidence.Count))),
                new Change(before.Of(Sum(old, f => f.EstimatedSavingMs)), after.Of(Sum(current, f => f.EstimatedSavingMs))),
                new Change(before.Of(Sum(old, f => f.BlockedMs ?? 0)), after.Of(Sum(current, f => f.BlockedMs ?? 0))),
                status == FindingStatus.Fixed ? MeasuredSaving(old!, before, after) : null));
        }

        return changes
            .OrderBy(c => c.Status)
            .ThenByDescending(c => Math.Max(c.SavingMsPerUnit.Before, c.SavingMsPerUnit.After))
            .ThenBy(c => c.RuleId, StringComparer.Ordinal)
            .ThenBy(c => c.CallSite, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>
    /// What the fix saved as measured: the kernel time of the finding's syscalls, per unit, before less after.
    /// Other call sites of the same syscalls are in both runs' totals too; the sites the fix removed are the difference.
    /// </summary>
    private static double MeasuredSaving(List<Finding> fixedFindings, Rates before, Rates after)
    {
        var syscalls = fixedFindings.SelectMany(f => f.Evidence.Syscalls).ToHashSet(StringComparer.Ordinal);
        double TimeOf(Rates rates) => rates.Of(rates.Report.Summary.Syscalls.Where(s => syscalls.Contains(s.Name)).Sum(s => s.TotalTimeMs));
        return TimeOf(before) - TimeOf(after);
    }

    /// <summary>
    /// Call sites are compared only when both runs name them: a report written before findings carried one, or a run
    /// recorded without stacks, would otherwise make every finding of the other run fixed and new at once.
    /// </summary>
    private static Dictionary<MatchKey, List<Finding>> Grouped(AdvisorReport report, bool bySite) =>
        report.Findings.GroupBy(f => bySite ? MatchKey.Of(f) : MatchKey.Of(f) with { Caller = null }).ToDictionary(g => g.Key, g => g.ToList());

    /// <summary>Findings, none of which names its call site.</summary>
    private static bool NamesNoSite(AdvisorReport report) => report.Findings.Count > 0 && report.Findings.All(f => f.CallSite is null);

    private static FindingSide? Side(List<Finding>? findings) =>
        findings is null
            ? null
            : new FindingSide(
                findings.Count,
                findings.Sum(f => f.Evidence.Count),
                findings.Sum(f => f.EstimatedSavingMs),
                findings.Sum(f => f.BlockedMs ?? 0),
                findings.MaxBy(f => f.EstimatedSavingMs)!.Message);

    private static double Sum(List<Finding>? findings, Func<Finding, double> value) => findings?.Sum(value) ?? 0;

    private static List<SyscallChange> Syscalls(Rates before, Rates after)
    {
        var was = before.Report.Summary.Syscalls.ToDictionary(s => s.Name, StringComparer.Ordinal);
        var now = after.Report.Summary.Syscalls.ToDictionary(s => s.Name, StringComparer.Ordinal);
        Change Of(string name, Func<SyscallSummary, double> value) =>
            new(was.TryGetValue(name, out var b) ? before.Of(value(b)) : 0, now.TryGetValue(name, out var a) ? after.Of(value(a)) : 0);
        return was.Keys.Union(now.Keys, StringComparer.Ordinal)
            .Select(name => new SyscallChange(name, Of(name, s => s.Count), Of(name, s => s.Errors), Of(name, s => s.TotalTimeMs), Of(name, s => s.Bytes)))
            .OrderByDescending(s => Math.Max(s.Calls.Before, s.Calls.After))
            .ThenBy(s => s.Name, StringComparer.Ordinal)
            .ToList();
    }

    private static RuntimeChange? Runtime(Rates before, Rates after)
    {
        if (before.Report.Runtime is not { } b || after.Report.Runtime is not { } a)
        {
            return null;
        }

        Change Of(Func<RuntimeReport, double> value) => new(before.Of(value(b)), after.Of(value(a)));
        return new RuntimeChange(
            Of(r => r.Contention.Count),
            Of(r => r.Contention.WaitMs),
            Of(r => r.ThreadPool.Dequeued ?? r.ThreadPool.WorkItems),
            Of(r => r.ThreadPool.BlockedWaits),
            Of(r => r.ThreadPool.StarvationInjections + r.ThreadPool.BlockingInjections),
            new Change(b.ThreadPool.MaxWorkers, a.ThreadPool.MaxWorkers),
            Of(r => r.Gc.Count),
            Of(r => r.Gc.Gen2),
            Of(r => r.Exceptions));
    }

    private static RunSummary Summary(DiffInput input)
    {
        var report = input.Report;
        return new RunSummary(
            input.Source,
            input.Path,
            report.Target.Pid,
            report.Target.Name,
            SameWork.Program(report.Target),
            report.Target.CommandLine,
            report.Session.Backend,
            report.Session.DurationSeconds,
            report.Session.EventsTotal,
            report.Session.LostEvents,
            SameWork.Requests(report),
            report.Findings.Count);
    }

    private static List<string> Notes(DiffInput before, DiffInput after)
    {
        var notes = new List<string>();
        if (before.Source != after.Source)
        {
            notes.Add($"{before.Path} is a {before.Source} and {after.Path} a {after.Source}: a JSON report keeps the findings of the rules it was written with, a recording is analysed again with today's");
        }

        foreach (var blind in new[] { before, after }.Where(s => NamesNoSite(s.Report)))
        {
            notes.Add($"{blind.Path} names no call site (recorded without stacks, or a report written before findings named theirs): findings are matched by rule and process alone");
        }

        foreach (var side in new[] { before, after }.Where(s => s.Report.Session.LostEvents > 0))
        {
            notes.Add(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{side.Path} lost {side.Report.Session.LostEvents:N0} events: its rates are low by as much"));
        }

        return notes;
    }

    /// <summary>A run's measures as rates: per request when both runs served requests, else per second.</summary>
    private sealed class Rates(AdvisorReport report, bool perRequest)
    {
        private readonly double _units = perRequest ? SameWork.Requests(report)!.Value : report.Session.DurationSeconds;

        public AdvisorReport Report { get; } = report;

        public double Of(double total) => total / _units;
    }
}
