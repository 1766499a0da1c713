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
        string? toolingFrame = null;
        var (counts, names) = group.Stacks;
        foreach (var (id, _) in counts)
        {
            var stack = names[id];
            if (stack.HasUserFrame)
            {
                return null;
            }

            toolingFrame ??= stack.Frames.FirstOrDefault(f => f.Kind == FrameKind.Tooling)?.Name;
        }

        if (toolingFrame is not null)
        {
            return ToolingNames.OfFrame(toolingFrame);
        }

        // No frame says (no stacks, or only native and framework ones): a process that is tooling as a whole does.
        var whose = group.Rows.Select(r => snapshot.Processes.GetValueOrDefault(r.Pid)?.Tooling).Distinct().ToList();
        return whose.Count == 1 ? whose[0] : null;
    }
}
