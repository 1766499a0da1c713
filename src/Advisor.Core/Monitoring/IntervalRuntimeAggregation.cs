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
/// <remarks>
/// EventPipe delivers late: a session's events reach the tool a buffer at a time, and the hosting counters' samples
/// half a second apart. So an interval ended by <see cref="End"/> (a paused window) is filed by the events' own
/// time, not by when they came: what is stamped after its end goes to the next interval, and the first request
/// sample stamped after it (<see cref="SampledPastEnd"/>) goes to both, so the requests the interval served are read
/// from samples on each side of its end rather than cut short at the last sample that had come.
/// </remarks>
public sealed class IntervalRuntimeAggregation(RuntimeAggregator first) : IRuntimeEventSink
{
    private readonly Lock _gate = new();
    private RuntimeAggregator _current = first;

    /// <summary>After <see cref="End"/>: the interval that follows, taking what is stamped after the end.</summary>
    private RuntimeAggregator? _next;
    private long _endNs = long.MaxValue;
    private TaskCompletionSource _sampledPastEnd = Settled();

    /// <summary>Whether the process reports request samples at all (an ASP.NET Core server): only then is one waited for.</summary>
    private bool _samplesRequests;

    /// <summary>
    /// Completes once a request sample stamped after the <see cref="End"/> of the current interval has come, at once
    /// when the process sends no such samples or the interval has not ended.
    /// </summary>
    public Task SampledPastEnd
    {
        get
        {
            lock (_gate)
            {
                return _sampledPastEnd.Task;
            }
        }
    }

    public void OnSessionStarted()
    {
        lock (_gate)
        {
            _current.OnSessionStarted();
            _next?.OnSessionStarted();
        }
    }

    public void OnRuntimeEvent(in RuntimeEvent e, ReadOnlySpan<ulong> stack)
    {
        lock (_gate)
        {
            var sample = e.Kind == RuntimeEventKind.RequestsTotal;
            _samplesRequests |= sample;
            if (e.TimestampNs <= _endNs || _next is null)
            {
                _current.OnRuntimeEvent(e, stack);
                return;
            }

            _next.OnRuntimeEvent(e, stack);
            if (sample)
            {
                _current.OnRuntimeEvent(e, stack); // the total at the end lies between this sample and the one before
                _sampledPastEnd.TrySetResult();
            }
        }
    }

    /// <summary>
    /// Ends the current interval at <paramref name="endNs"/> (a window paused) ahead of its <see cref="Rotate"/>:
    /// from now on events stamped later belong to the next interval. Once only per interval.
    /// </summary>
    public void End(long endNs)
    {
        lock (_gate)
        {
            if (_next is not null)
            {
                return;
            }

            _endNs = endNs;
            _next = _current.Continue(endNs);
            _sampledPastEnd = _samplesRequests ? new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously) : Settled();
        }
    }

    /// <summary>Ends the current interval at <paramref name="nowNs"/>, or where <see cref="End"/> ended it, and starts the next.</summary>
    /// <returns>What the ended interval folded, and the stacks its events carried.</returns>
    public (RuntimeSnapshot Snapshot, StackTable Stacks) Rotate(long nowNs)
    {
        RuntimeAggregator ended;
        lock (_gate)
        {
            ended = _current;
            _current = _next ?? ended.Continue(nowNs);
            _next = null;
            _endNs = long.MaxValue;
            _sampledPastEnd.TrySetResult(); // no one waits for an interval handed back
            _sampledPastEnd = Settled();
        }

        return (ended.Snapshot(), ended.Stacks);
    }

    private static TaskCompletionSource Settled()
    {
        var settled = new TaskCompletionSource();
        settled.SetResult();
        return settled;
    }
}
