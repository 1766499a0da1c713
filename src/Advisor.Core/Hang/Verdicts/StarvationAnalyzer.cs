using System.Globalization;
using Advisor.Core.Findings;
using Advisor.Core.Rules;
using Advisor.Core.Stacks;
using Advisor.Core.Threads;

namespace Advisor.Core.Hang.Verdicts;

/// <summary>
/// ADV005 at a glance: thread-pool workers blocked inside application code (waiting on tasks, locks or I/O)
/// with no worker idle, while the pool has grown past its minimum — the slow injection regime, where
/// queued work waits for the next thread. Idle workers also wait (for work), but with no application frame
/// on their stack.
/// </summary>
internal static class StarvationAnalyzer
{
    /// <summary>At least this share of the workers must be blocked in application code.</summary>
    private const double MinBlockedShare = 0.75;

    public static IEnumerable<Finding> Find(HangSnapshot snapshot, RuleDefinition rule)
    {
        if (snapshot.Runtime is not { } runtime)
        {
            yield break;
        }

        var workers = snapshot.Threads.Where(t => t.Role == ThreadRole.ThreadPoolWorker && t.Activity != ThreadActivity.Gone).ToList();
        var blocked = workers.Where(t => t.Activity == ThreadActivity.Blocked && t.Stack.Frames.Any(f => f.Kind == FrameKind.User)).ToList();
        if (blocked.Count < 2 || blocked.Count < MinBlockedShare * workers.Count || workers.Count < runtime.PoolMinThreads)
        {
            yield break;
        }

        var site = blocked.Select(t => t.Stack.CallSite).OfType<string>()
            .GroupBy(s => s)
            .OrderByDescending(g => g.Count())
            .Select(g => g.Key)
            .FirstOrDefault();
        var syscall = blocked.GroupBy(t => t.BlockedSyscall).OrderByDescending(g => g.Count()).First().Key;
        var message = string.Create(
            CultureInfo.InvariantCulture,
            $"{blocked.Count} of {workers.Count} thread-pool workers are blocked in application code (longest {HangFindings.Duration(blocked.Max(t => t.BlockedForMs))}); past its minimum of {runtime.PoolMinThreads} the pool adds one thread at a time{(site is null ? "" : $"; they wait in {site}")}");
        yield return HangFindings.Create(rule, message, blocked, syscall, null, null);
    }
}
