using Advisor.Core.Events;
using Advisor.Core.Runtime;
using Advisor.Core.Stacks;

namespace Advisor.Core.Aggregation;

/// <summary>
/// Folds .NET runtime events into totals: contention per thread and per stack, thread-pool size and work,
/// GCs, exceptions, and which threads acted as pool workers. Bounded like the syscall aggregation.
/// </summary>
/// <remarks>
/// Runtime sessions deliver on their own threads, at rates far below syscalls, so one lock is enough.
/// </remarks>
public sealed class RuntimeAggregator : IRuntimeEventSink
{
    private const int MaxThreads = 4096;

    private readonly Lock _lock = new();
    private readonly long[] _counts = new long[Enum.GetValues<RuntimeEventKind>().Length];
    private readonly Dictionary<int, (long Count, long WaitNs)> _contentionByTid = new();
    private readonly WaitSites _contentionSites;
    private readonly WaitSites _poolWaitSites;
    private readonly Func<int, int, bool>? _isNamedPoolWorker;
    private readonly HashSet<int> _poolWorkers = [];
    private readonly HashSet<int> _notPoolWorkers = [];
    private readonly long[] _gcByGeneration = new long[3];
    private readonly List<CounterSample> _requestTotals = [];
    private long _inFlight;
    private long _maxInFlight;
    private long _contentionWaitNs;
    private long _workItems;
    private long _starvationInjections;
    private long _blockingInjections;

    /// <summary>The worker count the pool last set (its adjustments), -1 before the first.</summary>
    private int _workerGoal = -1;

    /// <summary>The worker count before an adjustment: the last one set, else the last one reported.</summary>
    private int WorkersBefore => _workerGoal >= 0 ? _workerGoal : _lastWorkers;
    private int _maxWorkers;
    private int _lastWorkers;
    private bool _available;

    /// <param name="isNamedPoolWorker">Whether a thread is named as a pool worker (pid, tid), asked once per thread
    /// that blocks before the pool's own events showed it as a worker: a worker busy since before the recording
    /// started neither starts nor parks while it is recorded, and without the per-work-item events nothing else
    /// says what it is. Null: only the pool's events tell.</param>
    public RuntimeAggregator(Func<int, int, bool>? isNamedPoolWorker = null)
    {
        _isNamedPoolWorker = isNamedPoolWorker;
        _contentionSites = new WaitSites(Stacks);
        _poolWaitSites = new WaitSites(Stacks);
    }

    /// <summary>The stacks runtime events carried (managed frames of the target), interned here.</summary>
    public StackTable Stacks { get; } = new();

    /// <summary>
    /// The sessions asked for the per-work-item events, so their counts mean something even when zero; when
    /// not (the default), the summary's enqueued/dequeued are null unless such events came anyway.
    /// </summary>
    public bool CountsWorkItems { get; init; }

    /// <summary>Marks that a runtime session is delivering, even before its first event.</summary>
    public void OnSessionStarted()
    {
        lock (_lock)
        {
            _available = true;
        }
    }

    public void OnRuntimeEvent(in RuntimeEvent e, ReadOnlySpan<ulong> stack)
    {
        lock (_lock)
        {
            _available = true;
            _counts[(int)e.Kind]++;
            switch (e.Kind)
            {
                case RuntimeEventKind.ContentionStart:
                    OnContentionStart(e, stack);
                    break;
                case RuntimeEventKind.ContentionStop:
                    // The site's part: the runtime's length, or from the interval's start for a wait carried over.
                    var part = _contentionSites.End(e.Tid, e.TimestampNs, e.Value);
                    var waited = part >= 0 ? part : e.Value;
                    _contentionWaitNs += waited;
                    if (_contentionByTid.TryGetValue(e.Tid, out var t))
                    {
                        _contentionByTid[e.Tid] = (t.Count, t.WaitNs + waited);
                    }

                    break;
                case RuntimeEventKind.ThreadPoolWorkerStart or RuntimeEventKind.ThreadPoolWorkerWait
                    or RuntimeEventKind.ThreadPoolDequeue or RuntimeEventKind.ThreadPoolIoDequeue:
                    OnPoolWorker(e);
                    break;
                case RuntimeEventKind.ThreadPoolWorkerStop:
                    _lastWorkers = (int)e.Value;
                    break;
                case RuntimeEventKind.ThreadPoolAdjustment:
                    _lastWorkers = _workerGoal = (int)e.Value;
                    _maxWorkers = Math.Max(_maxWorkers, _lastWorkers);
                    break;
                // Only the changes that added workers: blocking adjustments also take them back as waits end.
                case RuntimeEventKind.ThreadPoolStarvation when e.Value > WorkersBefore:
                    _starvationInjections++;
                    break;
                case RuntimeEventKind.ThreadPoolBlockingInjection when e.Value > WorkersBefore:
                    _blockingInjections++;
                    break;
                case RuntimeEventKind.ThreadPoolSample:
                    _workItems += e.Value;
                    break;
                // A pool worker blocking (Task.Wait, .Result, a wait handle) is one worker less for queued work.
                case RuntimeEventKind.WaitStart when IsPoolWorker(e.Pid, e.Tid):
                    _poolWaitSites.Begin(e.Pid, e.Tid, e.TimestampNs, stack);
                    break;
                case RuntimeEventKind.WaitStop:
                    _poolWaitSites.End(e.Tid, e.TimestampNs);
                    break;
                case RuntimeEventKind.GcStart when e.Value is >= 0 and <= 2:
                    _gcByGeneration[e.Value]++;
                    break;
                case RuntimeEventKind.RequestsTotal:
                    OnRequestsTotal(e);
                    break;
                case RuntimeEventKind.RequestsInFlight:
                    _inFlight = e.Value;
                    _maxInFlight = Math.Max(_maxInFlight, e.Value);
                    break;
            }
        }
    }

    private void OnContentionStart(in RuntimeEvent e, ReadOnlySpan<ulong> stack)
    {
        if (_contentionByTid.TryGetValue(e.Tid, out var t) || _contentionByTid.Count < MaxThreads)
        {
            _contentionByTid[e.Tid] = (t.Count + 1, t.WaitNs);
        }

        _contentionSites.Begin(e.Pid, e.Tid, e.TimestampNs, stack);
    }

    private void OnRequestsTotal(in RuntimeEvent e)
    {
        if (_requestTotals.Count < ServerRequests.MaxSamples)
        {
            _requestTotals.Add(new CounterSample(e.TimestampNs, e.Value));
        }
    }

    private ServerRequests Requests() => _requestTotals.Count == 0
        ? ServerRequests.None
        : new ServerRequests(_requestTotals.OrderBy(s => s.AtNs).ToList(), _inFlight, _maxInFlight);

    /// <summary>Known from the pool's events, or else named so (asked once per thread, see the constructor).</summary>
    private bool IsPoolWorker(int pid, int tid)
    {
        if (_poolWorkers.Contains(tid))
        {
            return true;
        }

        if (_isNamedPoolWorker is null || _notPoolWorkers.Contains(tid))
        {
            return false;
        }

        if (_isNamedPoolWorker(pid, tid))
        {
            return _poolWorkers.Count < MaxThreads && _poolWorkers.Add(tid);
        }

        if (_notPoolWorkers.Count < MaxThreads)
        {
            _notPoolWorkers.Add(tid);
        }

        return false;
    }

    private void OnPoolWorker(in RuntimeEvent e)
    {
        if (_poolWorkers.Count < MaxThreads)
        {
            _poolWorkers.Add(e.Tid);
        }

        if (e.Kind is RuntimeEventKind.ThreadPoolWorkerStart or RuntimeEventKind.ThreadPoolWorkerWait)
        {
            _lastWorkers = (int)e.Value;
            _maxWorkers = Math.Max(_maxWorkers, _lastWorkers);
        }
    }

    /// <summary>
    /// A new aggregator for what comes next (monitor's next interval), which starts knowing what this one
    /// learnt of the pool: which threads are its workers and how many it has (both outlast an interval, and the
    /// pool says them only when they change), the waits under way, as begun at <paramref name="nowNs"/>, and the
    /// last sample of the requests' running total, from which the next interval's first requests are read.
    /// </summary>
    public RuntimeAggregator Continue(long nowNs)
    {
        lock (_lock)
        {
            var next = new RuntimeAggregator(_isNamedPoolWorker) { CountsWorkItems = CountsWorkItems };
            _contentionSites.CarryInto(next._contentionSites, nowNs);
            _poolWaitSites.CarryInto(next._poolWaitSites, nowNs);
            next._available = _available;
            next._poolWorkers.UnionWith(_poolWorkers);
            next._notPoolWorkers.UnionWith(_notPoolWorkers);
            next._workerGoal = _workerGoal;
            next._lastWorkers = _lastWorkers;
            next._maxWorkers = _lastWorkers;
            if (_requestTotals.Count > 0)
            {
                next._requestTotals.Add(_requestTotals.MaxBy(s => s.AtNs));
            }

            return next;
        }
    }

    /// <summary>Freezes what was folded. Call after the sessions have stopped delivering.</summary>
    public RuntimeSnapshot Snapshot()
    {
        lock (_lock)
        {
            if (!_available)
            {
                return RuntimeSnapshot.None;
            }

            var counts = Enum.GetValues<RuntimeEventKind>()
                .Where(k => _counts[(int)k] > 0)
                .ToDictionary(k => k, k => _counts[(int)k]);
            long Count(RuntimeEventKind kind) => _counts[(int)kind];
            long? WorkItemCount(RuntimeEventKind kind) => CountsWorkItems || _counts[(int)kind] > 0 ? _counts[(int)kind] : null;

            var contention = new ContentionSummary(
                Count(RuntimeEventKind.ContentionStart),
                _contentionWaitNs / 1e6,
                _contentionByTid
                    .Select(p => new ThreadContention(p.Key, p.Value.Count, p.Value.WaitNs / 1e6))
                    .OrderByDescending(t => t.Count)
                    .ThenBy(t => t.Tid)
                    .ToList(),
                _contentionSites.Snapshot());
            var pool = new ThreadPoolSummary(
                _maxWorkers,
                _lastWorkers,
                Count(RuntimeEventKind.ThreadPoolAdjustment),
                Count(RuntimeEventKind.ThreadPoolWorkerStart),
                Count(RuntimeEventKind.ThreadPoolWorkerStop),
                WorkItemCount(RuntimeEventKind.ThreadPoolEnqueue),
                WorkItemCount(RuntimeEventKind.ThreadPoolDequeue),
                Count(RuntimeEventKind.ThreadPoolIoEnqueue),
                Count(RuntimeEventKind.ThreadPoolIoDequeue),
                _poolWaitSites.Waits,
                _poolWaitSites.WaitNs / 1e6,
                _workItems,
                _starvationInjections,
                _blockingInjections);
            var gc = new GcSummary(Count(RuntimeEventKind.GcStart), _gcByGeneration[0], _gcByGeneration[1], _gcByGeneration[2]);

            return new RuntimeSnapshot(true, counts, contention, pool, gc, Count(RuntimeEventKind.ExceptionThrown), _poolWorkers.ToHashSet())
            {
                PoolBlockedSites = _poolWaitSites.Snapshot(),
                Requests = Requests(),
            };
        }
    }

}
