namespace Advisor.UnitTests.Layering;

/// <summary>
/// The documented order of the tool's namespaces (docs/architecture.md, the <c>namespace-order</c> block): one layer a
/// line, earliest first; a namespace may use only namespaces of its own layer or earlier ones. A line naming several
/// (<c>A + B</c>) admits a cycle between them, in writing. Sub-namespaces count as their area
/// (<c>Advisor.Core.Rules.Loading</c> is <c>Advisor.Core.Rules</c>).
/// </summary>
internal sealed class NamespaceOrder
{
    private const string Fence = "```namespace-order";

    private readonly Dictionary<string, int> _layerOf;

    public NamespaceOrder(IEnumerable<string> layers)
    {
        _layerOf = layers
            .Select((line, index) => (Names: line.Split('+', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries), index))
            .SelectMany(l => l.Names.Select(n => (Name: n, l.index)))
            .ToDictionary(n => n.Name, n => n.index);
    }

    /// <summary>The order as docs/architecture.md writes it.</summary>
    public static NamespaceOrder Documented()
    {
        var text = File.ReadAllText(RepositoryFiles.PathOf("docs", "architecture.md"));
        var start = text.IndexOf(Fence, StringComparison.Ordinal);
        if (start < 0)
        {
            throw new InvalidOperationException($"docs/architecture.md has no {Fence} block");
        }

        start += Fence.Length;
        var end = text.IndexOf("```", start, StringComparison.Ordinal);
        return new NamespaceOrder(text[start..end].Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));
    }

    /// <summary>The area a namespace counts as: its first three parts.</summary>
    public static string Area(string name) => string.Join('.', name.Split('.').Take(3));

    /// <summary>Every use of a namespace that comes later in the order, and every namespace the order does not place.</summary>
    public IReadOnlyList<string> Violations(IReadOnlyDictionary<string, IReadOnlySet<string>> graph)
    {
        var found = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var (from, uses) in graph)
        {
            var area = Area(from);
            if (!_layerOf.TryGetValue(area, out var layer))
            {
                found.Add($"{area} is not in the documented order: place it");
                continue;
            }

            foreach (var used in uses.Select(Area).Where(u => u != area))
            {
                if (!_layerOf.TryGetValue(used, out var usedLayer))
                {
                    found.Add($"{used} is not in the documented order: place it");
                }
                else if (usedLayer > layer)
                {
                    found.Add($"{area} uses {used}, which comes after it");
                }
            }
        }

        return [.. found];
    }
}
