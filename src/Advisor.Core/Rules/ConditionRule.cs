using System.Globalization;
using Advisor.Core.Aggregation;
using Advisor.Core.Findings;
using Advisor.Core.Rules.Expressions;
using Advisor.Core.Rules.Metrics;
using Advisor.Core.Stacks;
using Advisor.Core.Threads;

namespace Advisor.Core.Rules;

/// <summary>Evaluates a YAML rule: groups the rows it looks at, tests its condition, and builds findings.</summary>
public static class ConditionRule
{
    public static IEnumerable<(Finding Finding, MetricGroup Group)> Evaluate(
        RuleDefinition rule, AggregateSnapshot snapshot, IEnumerable<StatsRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rule);
        ArgumentNullException.ThrowIfNull(snapshot);
        if (rule.Condition is not { } condition)
        {
            yield break; // decided only in hang triage
        }

        var syscalls = rule.Syscalls.ToHashSet(StringComparer.Ordinal);
        var excluded = rule.ExcludedSyscalls.ToHashSet(StringComparer.Ordinal);
        var selected = rows.Where(r => (syscalls.Count == 0 || syscalls.Contains(r.Syscall)) && !excluded.Contains(r.Syscall)
            && (rule.ThreadRoles.Count == 0 || (snapshot.ThreadsByTid.TryGetValue(r.Tid, out var thread) && rule.ThreadRoles.Contains(thread.Role)))
            && !RuntimesOwn(rule, snapshot, r));
        foreach (var group in MetricGroupBuilder.Build(snapshot, selected, rule.GroupBy))
        {
            var metrics = new ThresholdResolver(group, rule.Thresholds, () => SiteShare(rule, group));
            if (group[Metric.Count] > 0 && condition.When.IsTrue(metrics))
            {
                yield return (Create(rule, condition, snapshot, group, metrics), group);
            }
        }
    }

    /// <summary>
    /// Calls the runtime made for itself, on a thread that serves it (its diagnostics pipes and sessions, tiering,
    /// a FileSystemWatcher's reader), from no application frame: not the user's finding, and nothing the user's
    /// fix would save — a debugger pipe's open waits seconds for a debugger that never comes. A callback of the
    /// application's there (a watcher's event handler) is its own; rules that name such a role see it all.
    /// </summary>
    private static bool RuntimesOwn(RuleDefinition rule, AggregateSnapshot snapshot, StatsRow row) =>
        snapshot.ThreadsByTid.TryGetValue(row.Tid, out var thread) && ThreadRoles.ServesTheRuntime(thread.Role)
        && !rule.ThreadRoles.Contains(thread.Role) && !row.Stacks.Any(s => snapshot.Stacks[s.StackId].HasUserFrame);

    private static Finding Create(RuleDefinition rule, RuleCondition condition, AggregateSnapshot snapshot, MetricGroup group, IMetricResolver metrics)
    {
        var count = (long)group[Metric.Count];
        var avoidable = (long)Math.Clamp(Math.Round(condition.AvoidableCalls.Evaluate(metrics)), 0, count);
        var (saving, blocked, explanation) = Saving(snapshot.Tracer, group, count, avoidable);
        (saving, blocked, explanation) = BeyondTheCalls(condition, metrics, saving, blocked, explanation);

        var threads = ThreadShares(snapshot, group.ThreadCounts);
        var ranked = CallSites.Rank(group.Stacks.Counts, group.Stacks.Names);
        var stacks = CallSites.Samples(ranked);
        var paths = group.Rows.Where(r => r.Fd is not null).Select(r => r.Fd!.Description).Distinct().ToList();
        var subject = new AdviceSubject(
            stacks.SelectMany(s => s.Frames).ToList(), paths, FindingFdKinds.Of(snapshot, group), group.Rows.Select(r => r.Syscall).Distinct().ToList());
        // Advice may name the call the finding is made of: "{syscall}" (a storm's general advice).
        var advice = SelectAdvice(rule, subject).Select(a => a with { Text = a.Text.Replace("{syscall}", group.Labels["syscall"], StringComparison.Ordinal) }).ToList();
        var callSite = CallSites.Headline(ranked);
        var tooling = FindingOwner.ToolingOf(snapshot, group);
        var library = tooling is null ? FindingOwner.LibraryLockOf(rule, group) : null;
        var owner = tooling is not null ? $" — {tooling}'s own calls, not your code"
            : library is not null ? $" — a lock inside {library}, no waiter came from your code"
            : "";
        // The process that made most of the calls (a spawn storm's children are one program, many pids).
        var pid = group.Rows.GroupBy(r => r.Pid).OrderByDescending(g => g.Sum(r => r.Stats.Count)).Select(g => (int?)g.Key).FirstOrDefault();

        return new Finding(
            rule.Id,
            rule.Name,
            owner.Length == 0 ? rule.Severity : (Severity)Math.Min((int)rule.Severity, (int)Severity.Info),
            rule.Title,
            condition.Message.Render(group, callSite) + owner,
            Evidence(snapshot, group, threads),
            threads.Count == 1 ? threads[0] : null,
            stacks,
            saving,
            avoidable,
            explanation,
            advice)
        {
            Process = pid is { } p ? snapshot.ProcessOf(p) : null,
            BlockedMs = blocked > 0 ? blocked : null,
            CallSite = callSite,
        };
    }

    /// <summary>
    /// What the avoidable calls cost, as the program runs without the tool: their work at its measured cost
    /// less what the recorder added (per call, and per stack frame it walked) plus the crossing into the kernel
    /// and back; their waiting apart, as latency (a wait's own CPU is its crossing).
    /// </summary>
    private static (double SavingMs, double BlockedMs, string Explanation) Saving(Sources.TracerCost tracer, MetricGroup group, long count, long avoidable)
    {
        if (count == 0)
        {
            return (0, 0, "no calls");
        }

        var waitCalls = (long)group[Metric.BlockedCalls];
        var workCalls = count - waitCalls;
        // workMs is already as without the tool (MetricGroupBuilder); what was recorded is said beside it.
        var workUs = workCalls == 0 ? 0 : group[Metric.WorkMs] * 1e3 / workCalls;
        var measuredUs = workCalls == 0 ? 0 : (group[Metric.RecordedMs] - group[Metric.BlockedMs]) * 1e3 / workCalls;
        var perCallUs = ((workCalls * workUs) + (waitCalls * tracer.CrossingNs / 1e3)) / count;
        var share = (double)avoidable / count;
        // No saving exceeds the time the group's threads were there to spend: each thread's calls fit in the
        // recording, so a larger figure is a measuring error (a call paired across a clock step, or begun before
        // the recording), and the finding would rank above what any fix could give back.
        var threadTimeMs = Math.Max(group[Metric.Threads], group.ThreadCounts.Count) * group[Metric.DurationSeconds] * 1e3;
        var limit = threadTimeMs > 0 ? threadTimeMs : double.MaxValue; // a group that cannot tell its threads or length
        var saving = Math.Min(avoidable * perCallUs / 1e3, limit);
        var blocked = Math.Min(group[Metric.BlockedMs] * share, limit);
        var explanation = tracer.Known
            ? string.Create(CultureInfo.InvariantCulture, $"{avoidable:N0} of {count:N0} calls avoidable × {perCallUs:0.0} µs each without the recorder ({measuredUs:0.0} µs measured)")
            : string.Create(CultureInfo.InvariantCulture, $"{avoidable:N0} of {count:N0} calls avoidable × {perCallUs:0.0} µs measured per call");
        if (blocked > 0)
        {
            explanation += string.Create(CultureInfo.InvariantCulture, $"; they also waited {MessageTemplate.Format(blocked, "time")}: latency, not CPU");
        }

        return (saving, blocked, explanation);
    }

    /// <summary>
    /// What a rule says its fix gives back beside the avoidable calls' own time: waiting that lies between calls
    /// (a round trip's wait for the answer) instead of the calls' blocked share, and CPU spent around them.
    /// </summary>
    private static (double SavingMs, double BlockedMs, string Explanation) BeyondTheCalls(
        RuleCondition condition, IMetricResolver metrics, double saving, double blocked, string explanation)
    {
        if (condition.AvoidableWaitMs?.Evaluate(metrics) is { } waitMs)
        {
            // Bounded by construction: a socket's waits follow one another within its span, so they add up to at most
            // its connections × the recording, however many requests were in flight.
            blocked = Math.Max(0, waitMs);
            explanation = string.Create(
                CultureInfo.InvariantCulture,
                $"{explanation.Split("; they also waited")[0]}; waiting for answers: {MessageTemplate.Format(blocked, "time")} avoidable (latency, not CPU)");
        }

        if (condition.AvoidableWorkMs?.Evaluate(metrics) is { } workMs && workMs > 0)
        {
            saving += workMs;
            explanation += string.Create(CultureInfo.InvariantCulture, $"; the runtime's spinning meanwhile: {MessageTemplate.Format(workMs, "time")}");
        }

        return (saving, blocked, explanation);
    }

    /// <summary>
    /// Specific advice (matched on frames, paths or calls) first, then the entries written for the kinds of fd
    /// the finding is about, then the general entries — unless every kind the finding is about already has an
    /// entry written for it: advice for a regular file is not given for a directory that has its own. An entry
    /// matched twice (a library known by its frames and by its files) is given once.
    /// </summary>
    public static IReadOnlyList<Advice> SelectAdvice(RuleDefinition rule, AdviceSubject subject)
    {
        ArgumentNullException.ThrowIfNull(rule);
        ArgumentNullException.ThrowIfNull(subject);
        var applying = rule.Advice.Where(a => !a.IsGeneral && a.Matches(subject)).ToList();
        var covered = applying.Where(a => a.Fds is not null).SelectMany(a => a.Fds!).ToHashSet();
        var general = subject.Fds.All(covered.Contains) ? [] : rule.Advice.Where(a => a.IsGeneral);
        return applying.Where(a => a.IsSpecific)
            .Concat(applying.Where(a => !a.IsSpecific))
            .Concat(general)
            .Select(a => a.Advice)
            .DistinctBy(a => a.Text)
            .ToList();
    }

    /// <summary>The advice for a finding known by its frames and the fd's description alone (hang triage).</summary>
    public static IReadOnlyList<Advice> SelectAdvice(RuleDefinition rule, IEnumerable<string> frames, string? path) =>
        SelectAdvice(rule, AdviceSubject.Of(frames, path is null ? [] : [path]));

    private static Evidence Evidence(AggregateSnapshot snapshot, MetricGroup group, IReadOnlyList<ThreadShare> threads)
    {
        var fds = group.Rows.Where(r => r.Fd is not null).Select(r => r.Fd!).DistinctBy(f => f.Id).ToList();
        var errnos = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var (errno, n) in group.Rows.SelectMany(r => r.ErrorsByErrno))
        {
            var name = snapshot.Catalog.Errnos.NameOf(errno);
            errnos[name] = errnos.GetValueOrDefault(name) + n;
        }

        return new Evidence
        {
            Syscalls = group.Labels["syscall"].Split('/'),
            Count = (long)group[Metric.Count],
            Errors = (long)group[Metric.Errors],
            RatePerSecond = group[Metric.Rate],
            Bytes = (long)group[Metric.Bytes],
            AverageBytes = group[Metric.AvgBytes],
            TotalTimeMs = group[Metric.TotalMs],
            P50Us = group[Metric.P50Us],
            P99Us = group[Metric.P99Us],
            MaxMs = group[Metric.MaxMs],
            ErrorsByErrno = errnos,
            Fd = fds.Count == 1 ? fds[0].Fd : null,
            Path = fds.Count == 1 ? fds[0].Description : null,
            Threads = threads,
        };
    }

    private static List<ThreadShare> ThreadShares(AggregateSnapshot snapshot, IReadOnlyList<(int Tid, long Count)> counts)
    {
        var info = snapshot.ThreadsByTid;
        return counts
            .Select(c =>
            {
                var thread = info.GetValueOrDefault(c.Tid);
                return new ThreadShare(
                    c.Tid,
                    thread?.Name ?? "(other threads)",
                    ThreadRoles.Display(thread?.Role ?? ThreadRole.Other),
                    c.Count);
            })
            .OrderByDescending(t => t.Count)
            .ToList();
    }

    /// <summary>The share of the group's calls made from the call sites the rule is about (see <see cref="RuleDefinition.CallSite"/>).</summary>
    private static double SiteShare(RuleDefinition rule, MetricGroup group)
    {
        var (counts, names) = group.Stacks;
        var total = group[Metric.Count];
        if (total <= 0)
        {
            return 0;
        }

        long matching = 0;
        foreach (var (id, count) in counts)
        {
            if (names[id].CallSite is { } site && (rule.CallSite is null || rule.CallSite.IsMatch(site)))
            {
                matching += count;
            }
        }

        return matching / total;
    }

    /// <summary>A group's metrics, the rule's named thresholds alongside, and the rule-dependent siteShare.</summary>
    private sealed class ThresholdResolver(MetricGroup group, IReadOnlyDictionary<string, double> thresholds, Func<double> siteShare) : IMetricResolver
    {
        private double? _siteShare;

        public bool TryGet(string name, out double value)
        {
            if (name == Metric.SiteShare.Name)
            {
                value = _siteShare ??= siteShare();
                return true;
            }

            return group.TryGet(name, out value) || thresholds.TryGetValue(name, out value);
        }
    }
}
