using Advisor.Core.Aggregation;
using Advisor.Core.Events;
using Advisor.Core.Runtime;
using Advisor.Core.Stacks;

namespace Advisor.Core.Monitoring;

/// <summary>
/// The runtime's side of <see cref="IntervalAggregation"/>: its sessions deliver into the current interval's
/// <see cref="RuntimeAggregator"/>, and <see cref="Rotate"/> hands that back and starts the next, which keeps
/// what is known of the pool (<see cref="RuntimeAggregator.Continue"/>). Memory holds one interval's waits and stacks.
/// </summary>
public sealed class IntervalRuntimeAggregation(RuntimeAggregator first) : IRuntimeEventSink
{
    private readonly Lock _gate = new();
    private RuntimeAggregator _current = first;

    public void OnSessionStarted()
    {
        lock (_gate)
        {
            _current.OnSessionStarted();
        }
    }

    public void OnRuntimeEvent(in RuntimeEvent e, ReadOnlySpan<ulong> stack)
    {
        lock (_gate)
        {
            _current.OnRuntimeEvent(e, stack);
        }
    }

    /// <summary>Ends the current interval at <paramref name="nowNs"/> and starts the next.</summary>
    /// <returns>What the ended interval folded, and the stacks its events carried.</returns>
    public (RuntimeSnapshot Snapshot, StackTable Stacks) Rotate(long nowNs)
    {
        RuntimeAggregator ended;
        lock (_gate)
        {
            ended = _current;
            _current = ended.Continue(nowNs);
        }

        return (ended.Snapshot(), ended.Stacks);
    }
}
