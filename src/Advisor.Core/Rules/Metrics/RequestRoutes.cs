using Advisor.Core.Aggregation;
using Advisor.Core.Stacks;

namespace Advisor.Core.Rules.Metrics;

/// <summary>
/// Which web endpoint a group's calls serve: the route of the handler (a frame that carries one, see
/// <see cref="StackFrame.Route"/>) found below the group's own callers in any stack of the same processes.
/// An async caller resumes on the thread pool with its handler long gone from the stack; the calls it made before
/// its first await (a request's first query, its first cache read) were on the handler's stack, and say which it is.
/// </summary>
internal static class RequestRoutes
{
    /// <summary>
    /// "GET /customers/{id}/orders", with "and N other endpoints" when the callers serve several, by the calls
    /// seen under each; null when no stack joins a caller to a route.
    /// </summary>
    public static string? Of(AggregateSnapshot snapshot, IReadOnlySet<int> pids, IReadOnlyList<StackCount> group, CallStacks names)
    {
        // The callers are the application's frames inside the handler: the handler's own frame is not one, since
        // two lambdas of one method read alike ("Program.Main (lambda)") and would join every route to every group.
        var ownStacks = group.Select(c => c.StackId).ToHashSet();
        var callers = new HashSet<string>(StringComparer.Ordinal);
        foreach (var id in ownStacks)
        {
            foreach (var frame in names[id].Frames)
            {
                if (frame.Route is not null)
                {
                    break;
                }

                if (frame.Kind == FrameKind.User)
                {
                    callers.Add(CallStack.Readable(frame.Name));
                }
            }
        }

        if (snapshot.Stacks.Count == 0)
        {
            return null;
        }

        var calls = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var row in snapshot.Rows)
        {
            if (!pids.Contains(row.Pid))
            {
                continue;
            }

            foreach (var count in row.Stacks)
            {
                var stack = snapshot.Stacks[count.StackId];
                if ((ownStacks.Contains(count.StackId) ? Innermost(stack) : RouteOver(stack, callers)) is { } route)
                {
                    calls[route] = calls.GetValueOrDefault(route) + count.Count;
                }
            }
        }

        if (calls.Count == 0)
        {
            return null;
        }

        var top = calls.MaxBy(c => c.Value).Key;
        return calls.Count == 1 ? top : $"{top} and {calls.Count - 1} other endpoint{(calls.Count == 2 ? "" : "s")}";
    }

    /// <summary>
    /// The route of the stack's innermost handler when one of the callers runs inside it (frames are innermost
    /// first), else null: a caller outside the handler (a middleware) serves every route alike.
    /// </summary>
    private static string? RouteOver(CallStack stack, HashSet<string> callers)
    {
        var calledFromCaller = false;
        foreach (var frame in stack.Frames)
        {
            if (frame.Route is { } route)
            {
                return calledFromCaller ? route : null;
            }

            calledFromCaller |= frame.Kind == FrameKind.User && callers.Contains(CallStack.Readable(frame.Name));
        }

        return null;
    }

    /// <summary>The route of the stack's innermost handler: a stack of the group's own calls is its endpoint's.</summary>
    private static string? Innermost(CallStack stack) => stack.Frames.FirstOrDefault(f => f.Route is not null)?.Route;
}
