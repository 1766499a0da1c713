using Advisor.Core.Findings;

namespace Advisor.Core.Stacks;

/// <summary>Turns counted stack ids into a finding's top call sites.</summary>
public static class CallSites
{
    /// <summary>Call sites a finding shows; the rest still count in its totals.</summary>
    public const int Top = 5;

    /// <summary>
    /// Sums the counts per named stack (different return addresses in the same methods read the same to a
    /// user, so they merge), and keeps the most frequent, most frequent first.
    /// </summary>
    public static IReadOnlyList<(CallStack Stack, long Count)> Rank(IEnumerable<StackCount> counts, CallStacks names, int top = Top)
    {
        ArgumentNullException.ThrowIfNull(counts);
        ArgumentNullException.ThrowIfNull(names);
        var merged = new Dictionary<string, (CallStack Stack, long Count)>(StringComparer.Ordinal);
        foreach (var (id, count) in counts)
        {
            var stack = names[id];
            if (stack.Frames.Count == 0)
            {
                continue;
            }

            var key = string.Join('\n', stack.Frames.Select(f => f.Name));
            merged[key] = merged.TryGetValue(key, out var seen) ? (seen.Stack, seen.Count + count) : (stack, count);
        }

        return merged.Values
            .OrderByDescending(s => s.Count)
            .ThenBy(s => s.Stack.Frames[0].Name, StringComparer.Ordinal)
            .Take(top)
            .ToList();
    }

    public static IReadOnlyList<StackSample> Samples(IReadOnlyList<(CallStack Stack, long Count)> ranked) =>
        ranked.Select(s => new StackSample(s.Count, s.Stack.Frames.Select(f => f.Name).ToList())).ToList();

    /// <summary>The headline's call site: that of the most frequent stack which has an application frame.</summary>
    public static string? Headline(IReadOnlyList<(CallStack Stack, long Count)> ranked) =>
        ranked.Select(s => s.Stack.CallSite).FirstOrDefault(c => c is not null);
}
