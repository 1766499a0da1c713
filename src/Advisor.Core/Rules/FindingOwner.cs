using Advisor.Core.Aggregation;
using Advisor.Core.Processes;
using Advisor.Core.Rules.Metrics;
using Advisor.Core.Stacks;

namespace Advisor.Core.Rules;

/// <summary>
/// Whose finding it is. Findings are about the application's code; calls none of whose stacks reach it,
/// made by the tooling around it (the test platform's own workers under <c>dotnet test</c>, MSBuild, the SDK),
/// are reported as information that says whose they are, never as a warning the user cannot act on.
/// </summary>
internal static class FindingOwner
{
    /// <returns>Whose tooling made the group's calls ("the test platform"), or null when they are the application's.</returns>
    public static string? ToolingOf(AggregateSnapshot snapshot, MetricGroup group)
    {
        var (reachesUser, toolingFrame) = FirstFrameOutsideUserCode(group, FrameKind.Tooling);
        if (reachesUser)
        {
            return null;
        }

        if (toolingFrame is not null)
        {
            return ToolingNames.OfFrame(toolingFrame);
        }

        // No frame says (no stacks, or only native and framework ones): a process that is tooling as a whole does.
        var whose = group.Rows.Select(r => snapshot.Processes.GetValueOrDefault(r.Pid)?.Tooling).Distinct().ToList();
        return whose.Count == 1 ? whose[0] : null;
    }

    /// <summary>
    /// The library whose own lock the group's waiters queued on, when none of them came from the application's
    /// code (StackExchange.Redis's socket manager, on its own threads): a lock the user neither takes nor can
    /// split. A library lock the application's calls wait on (a logger's, from the user's log calls) stays theirs.
    /// </summary>
    /// <returns>The library's namespace ("StackExchange.Redis"), or null when the lock is the application's to fix.</returns>
    public static string? LibraryLockOf(RuleDefinition rule, MetricGroup group)
    {
        if (rule.GroupBy != GroupBy.LockSite)
        {
            return null;
        }

        var (reachesUser, library) = FirstFrameOutsideUserCode(group, FrameKind.Library);
        return reachesUser || library is null ? null : NamespaceOf(CallStack.Readable(library));
    }

    /// <summary>Whether any of the group's stacks reaches the application's code, and else the first frame of that kind in them.</summary>
    private static (bool ReachesUser, string? Frame) FirstFrameOutsideUserCode(MetricGroup group, FrameKind kind)
    {
        string? found = null;
        var (counts, names) = group.Stacks;
        foreach (var (id, _) in counts)
        {
            var stack = names[id];
            if (stack.HasUserFrame)
            {
                return (true, null);
            }

            found ??= stack.Frames.FirstOrDefault(f => f.Kind == kind)?.Name;
        }

        return (false, found);
    }

    /// <summary><c>StackExchange.Redis.PhysicalConnection.WriteHeader</c> → <c>StackExchange.Redis</c>.</summary>
    private static string NamespaceOf(string method)
    {
        var type = method.LastIndexOf('.');
        var ns = type > 0 ? method.LastIndexOf('.', type - 1) : -1;
        var name = ns > 0 ? method[..ns] : method;
        var nested = name.IndexOf('+', StringComparison.Ordinal);
        return nested > 0 ? name[..nested] : name;
    }
}
