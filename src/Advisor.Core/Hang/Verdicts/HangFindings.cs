using System.Globalization;
using Advisor.Core.Findings;
using Advisor.Core.Rules;
using Advisor.Core.Threads;

namespace Advisor.Core.Hang.Verdicts;

/// <summary>Builds a triage finding the way recorded findings look: evidence, threads, stacks, rule advice.</summary>
internal static class HangFindings
{
    public static Finding Create(RuleDefinition rule, string message, IReadOnlyList<HangThread> threads, string? syscall, int? fd, string? path)
    {
        var blockedMs = threads.Sum(t => t.BlockedForMs ?? 0);
        var stacks = threads.Where(t => t.Stack.Frames.Count > 0)
            .GroupBy(t => string.Join('\n', t.Stack.Frames.Select(f => f.Name)))
            .Select(g => new StackSample(g.Count(), g.First().Stack.Frames.Select(f => f.Name).ToList()))
            .OrderByDescending(s => s.Count)
            .Take(5)
            .ToList();
        var evidence = new Evidence
        {
            Syscalls = syscall is null ? [] : [syscall],
            Count = threads.Count,
            TotalTimeMs = blockedMs,
            MaxMs = threads.Max(t => t.BlockedForMs ?? 0),
            Fd = fd,
            Path = path,
            Threads = threads.Select(t => new ThreadShare(t.Tid, t.Name, ThreadRoles.Display(t.Role), 1)).ToList(),
        };
        var explanation = string.Create(
            CultureInfo.InvariantCulture, $"{threads.Count:N0} thread{(threads.Count == 1 ? "" : "s")} blocked {blockedMs / 1000:0.0} s in all, and counting");
        return new Finding(
            rule.Id,
            rule.Name,
            rule.Severity,
            rule.Title,
            message,
            evidence,
            threads.Count == 1 ? evidence.Threads[0] : null,
            stacks,
            blockedMs,
            threads.Count,
            explanation,
            ConditionRule.SelectAdvice(rule, stacks.SelectMany(s => s.Frames), path));
    }

    /// <summary>"fetcher (tid 4242)".</summary>
    public static string Name(HangThread thread) => string.Create(CultureInfo.InvariantCulture, $"{thread.Name} (tid {thread.Tid})");

    /// <summary>"12.3 s" or "850 ms".</summary>
    public static string Duration(double? ms) => MessageTemplate.Format(ms ?? 0, "time");

    /// <summary>" from MyApp.Fetch → NetworkStream.Read", or nothing when the stack names no application frame.</summary>
    public static string From(HangThread thread) => thread.Stack.CallSite is { } site ? $" from {site}" : "";
}
