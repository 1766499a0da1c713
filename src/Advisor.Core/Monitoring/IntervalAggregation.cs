using Advisor.Core.Aggregation;
using Advisor.Core.Events;

namespace Advisor.Core.Monitoring;

/// <summary>
/// Aggregates one interval at a time for a watch that never ends: the source delivers into the current
/// interval's aggregator, and <see cref="Rotate"/> hands back the finished interval and starts the next, so
/// memory holds one interval's keys however long the watch runs.
/// </summary>
/// <remarks>
/// The source's drain thread delivers while the monitor's thread rotates: one uncontended lock per event keeps
/// an interval's aggregator written by one thread at a time, and frozen once handed back.
/// </remarks>
public sealed class IntervalAggregation(Func<long, SyscallAggregator> start, long originNs) : ISyscallSink
{
    private readonly Lock _gate = new();
    private SyscallAggregator _current = start(originNs);
    private long _eventsBefore;
    private long _lostBefore;

    /// <summary>Calls delivered since the watch began, all intervals together.</summary>
    public long EventsTotal
    {
        get
        {
            lock (_gate)
            {
                return _eventsBefore + _current.EventsTotal;
            }
        }
    }

    /// <summary>Records the kernel could not deliver since the watch began.</summary>
    public long LostEvents
    {
        get
        {
            lock (_gate)
            {
                return _lostBefore + _current.LostEvents;
            }
        }
    }

    public void OnSyscall(in SyscallEvent e)
    {
        lock (_gate)
        {
            _current.OnSyscall(e);
        }
    }

    public void OnLost(long count)
    {
        lock (_gate)
        {
            _current.OnLost(count);
        }
    }

    public void OnThreadName(int pid, int tid, string name)
    {
        lock (_gate)
        {
            _current.OnThreadName(pid, tid, name);
        }
    }

    public void OnOpenPath(int pid, int tid, string path)
    {
        lock (_gate)
        {
            _current.OnOpenPath(pid, tid, path);
        }
    }

    /// <summary>Ends the current interval at <paramref name="nowNs"/> and starts the next.</summary>
    /// <returns>The interval that ended, frozen.</returns>
    public SyscallSnapshot Rotate(long nowNs)
    {
        SyscallAggregator ended;
        lock (_gate)
        {
            ended = _current;
            _current = start(nowNs);
            _eventsBefore += ended.EventsTotal;
            _lostBefore += ended.LostEvents;
        }

        return ended.Snapshot(nowNs);
    }
}
