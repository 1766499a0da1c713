namespace Advisor.Core.Stacks;

/// <summary>The recording's stacks, symbolised once at report time, by stack id.</summary>
public sealed class CallStacks(IReadOnlyDictionary<int, CallStack> byId)
{
    public static CallStacks None { get; } = new(new Dictionary<int, CallStack>());

    public int Count => byId.Count;

    /// <summary>Every named stack by id, for a recording to keep.</summary>
    public IReadOnlyDictionary<int, CallStack> ById => byId;

    public CallStack this[int stackId] => byId.GetValueOrDefault(stackId) ?? CallStack.Empty;

    /// <summary>Names the given stacks of a table, each once.</summary>
    public static CallStacks Name(StackTable table, IEnumerable<int> stackIds, IStackSymbolizer symbolizer)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(stackIds);
        ArgumentNullException.ThrowIfNull(symbolizer);
        var named = new Dictionary<int, CallStack>();
        foreach (var id in stackIds)
        {
            if (id > 0 && !named.ContainsKey(id))
            {
                named[id] = symbolizer.Symbolize(table.PidOf(id), table.FramesOf(id));
            }
        }

        return new CallStacks(named);
    }
}
