using Advisor.Core.Aggregation;

namespace Advisor.Core.Reporting;

/// <summary>One frame of the flame graph: the calls made through it, and the frames it called.</summary>
public sealed class FlameNode(string name)
{
    private readonly Dictionary<string, FlameNode> _children = new(StringComparer.Ordinal);

    public string Name { get; } = name;

    public long Count { get; private set; }

    public IEnumerable<FlameNode> Children => _children.Values.OrderByDescending(c => c.Count).ThenBy(c => c.Name, StringComparer.Ordinal);

    internal void Add(IEnumerable<string> path, long count)
    {
        Count += count;
        var node = this;
        foreach (var name in path)
        {
            if (!node._children.TryGetValue(name, out var child))
            {
                node._children[name] = child = new FlameNode(name);
            }

            child.Count += count;
            node = child;
        }
    }
}

/// <summary>Syscalls by the stacks that made them, outermost frame at the root and the syscall as the leaf.</summary>
public static class FlameGraph
{
    public static FlameNode Build(AggregateSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var root = new FlameNode("all syscalls");
        foreach (var row in snapshot.Rows)
        {
            long named = 0;
            foreach (var (id, count) in row.Stacks)
            {
                var frames = snapshot.Stacks[id].Frames;
                if (frames.Count == 0)
                {
                    continue;
                }

                root.Add(frames.Reverse().Select(f => f.Name).Append(row.Syscall), count);
                named += count;
            }

            if (row.Stats.Count > named)
            {
                root.Add(["(stack not recorded)", row.Syscall], row.Stats.Count - named);
            }
        }

        return root;
    }
}
