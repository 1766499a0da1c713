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
    public static IReadOnlyList<RankedSite> Rank(IEnumerable<StackCount> counts, CallStacks names, int top = Top)
    {
        ArgumentNullException.ThrowIfNull(counts);
        ArgumentNullException.ThrowIfNull(names);
        var merged = new Dictionary<string, RankedSite>(StringComparer.Ordinal);
        foreach (var count in counts)
        {
            var stack = names[count.StackId];
            if (stack.Frames.Count == 0)
            {
                continue;
            }

            var key = string.Join('\n', stack.Frames.Select(f => f.Name));
            merged[key] = merged.TryGetValue(key, out var seen)
                ? seen.Add(count)
                : new RankedSite(stack, count.Count, count.Sampled);
        }

        return merged.Values
            .OrderByDescending(s => s.Count)
            .ThenBy(s => s.Stack.Frames[0].Name, StringComparer.Ordinal)
            .Take(top)
            .ToList();
    }

    public static IReadOnlyList<StackSample> Samples(IReadOnlyList<RankedSite> ranked) =>
        ranked.Select(s => new StackSample(s.Count, s.Stack.Frames.Select(f => f.Name).ToList()) { Sampled = s.Sampled > 0 ? s.Sampled : null }).ToList();

    /// <summary>The headline's call site: that of the most frequent stack which has an application frame.</summary>
    public static string? Headline(IReadOnlyList<RankedSite> ranked) =>
        ranked.Select(s => s.Stack.CallSite).FirstOrDefault(c => c is not null);
}

/// <summary>One call site of a finding: its stack, its calls (an estimate when stacks were sampled), and the walked calls behind the estimate (0 when exact).</summary>
public sealed record RankedSite(CallStack Stack, long Count, long Sampled)
{
    /// <summary>The calls whose stack was walked.</summary>
    public long Walked => Sampled == 0 ? Count : Sampled;

    /// <summary>
    /// The same site's calls from another thread or fd. Exact stays exact only when both are; otherwise the walked
    /// calls add up, the exact ones counting as walked (16 exact calls beside 17 walked of 72 are 33 walked of 88).
    /// </summary>
    public RankedSite Add(StackCount other) =>
        Sampled == 0 && other.Sampled == 0
            ? this with { Count = Count + other.Count }
            : this with { Count = Count + other.Count, Sampled = Walked + other.Walked };
}
