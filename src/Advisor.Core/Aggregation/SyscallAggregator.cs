using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using Advisor.Core.Events;
using Advisor.Core.Stacks;
using Advisor.Core.Syscalls;
using Advisor.Core.Targets;
using Advisor.Core.Threads;

namespace Advisor.Core.Aggregation;

/// <summary>
/// Folds syscall events into per thread × syscall × fd totals, duration histograms, errno counts, per-fd
/// write/read runs and a timeline, as they arrive. Raw events are not kept, and every table is capped,
/// so memory is bounded however long the recording.
/// </summary>
/// <remarks>
/// Single-threaded: a source calls it from its one drain thread. <see cref="EventsTotal"/> may be read from
/// other threads for progress display. The hot path allocates nothing once a key has been seen.
/// </remarks>
public sealed class SyscallAggregator : ISyscallSink
{
    /// <summary>Beyond this many keys, new ones fold into one "other threads" key per syscall.</summary>
    public const int MaxKeys = 16384;

    /// <summary>Beyond this many (key, stack) pairs, a key's new stacks count as <see cref="StackTable.Overflow"/>.</summary>
    public const int MaxSites = 1 << 18;

    private const int OverflowTid = -1;

    private readonly SyscallCatalog _catalog;
    private readonly ITargetIntrospector _introspector;
    private readonly FdSlots _fds;
    private readonly Timeline _timeline;
    private readonly Dictionary<StatsKey, int> _index = new();
    private readonly List<StatsKey> _keys = [];
    private readonly Dictionary<(int Index, int Errno), long> _errnos = new();
    private readonly Dictionary<int, int> _pidOfTid = new();
    private readonly Dictionary<int, string?> _firstNames = new();
    // The kernel's word on each thread's latest name: it outlives threads that exit before /proc is read.
    private readonly Dictionary<int, string> _reportedNames = new();
    private readonly Dictionary<(int Index, int StackId), long> _sites = new();
    // Processes seen for the first time, or anew after an exec: the session looks at who they are while they run.
    private readonly ConcurrentQueue<int> _newProcesses = new();
    private readonly HashSet<int> _pids = [];
    // The path the recorder captured with a thread's open call in flight; taken by the call when it completes.
    private readonly Dictionary<int, string> _openPaths = new();
    private SyscallStats[] _stats = new SyscallStats[256];
    // Per key: its fd is the observer's (FdSlot.Observer), so its calls are counted apart and feed nothing else.
    private bool[] _observed = new bool[256];
    private long[] _histograms = new long[256 * DurationHistogram.BucketCount];
    private FdRuns[] _runs = new FdRuns[64];
    private SocketConversation[] _conversations = new SocketConversation[64];
    // Per fd slot: 1 a stream socket, -1 anything else, 0 not yet asked.
    private sbyte[] _streams = new sbyte[64];
    // Sockets accept returned, until their first exchange marks their conversation as the server's.
    private readonly HashSet<(int Pid, int Fd)> _accepted = [];
    // Each thread's futex and sched_yield calls so far: what the sender spun while its answer was awaited. Past
    // MaxKeys threads, new ones share the first slot (a spawn storm's threads make no conversations worth it).
    private readonly Dictionary<int, int> _spinIndex = new();
    private (long Calls, long Ns)[] _spins = new (long, long)[16];
    private readonly int _futex;
    private readonly int _schedYield;
    private int _lastSpinTid = -1;
    private int _lastSpinIndex;
    private StatsKey _lastKey = new(int.MinValue, -1, -1);
    private int _lastIndex;
    private long _events;
    private long _lost;
    private long _firstEventNs;

    public SyscallAggregator(SyscallCatalog catalog, ITargetIntrospector introspector, long originNs)
    {
        _catalog = catalog;
        _introspector = introspector;
        _fds = new FdSlots(introspector);
        _timeline = new Timeline(originNs);
        _futex = catalog.Table.TryGetNumber("futex", out var futex) ? futex : -1;
        _schedYield = catalog.Table.TryGetNumber("sched_yield", out var schedYield) ? schedYield : -1;
    }

    public long EventsTotal => Volatile.Read(ref _events);

    public long LostEvents => Volatile.Read(ref _lost);

    public void OnLost(long count) => Volatile.Write(ref _lost, _lost + count);

    /// <summary>
    /// A process that made its first call (or exec'd) since the last ask: its children and exec'd programs run
    /// other code, which the session identifies while they live. Safe to call from any thread.
    /// </summary>
    public bool TryTakeNewProcess(out int pid) => _newProcesses.TryDequeue(out pid);

    public void OnOpenPath(int pid, int tid, string path)
    {
        if (_openPaths.Count < MaxKeys || _openPaths.ContainsKey(tid))
        {
            _openPaths[tid] = path;
        }
    }

    public void OnThreadName(int pid, int tid, string name)
    {
        if (_reportedNames.Count < MaxKeys || _reportedNames.ContainsKey(tid))
        {
            _reportedNames[tid] = name;
        }
    }

    public void OnSyscall(in SyscallEvent e)
    {
        if (_events == 0)
        {
            _firstEventNs = e.StartNs;
        }

        Volatile.Write(ref _events, _events + 1);
        var traits = _catalog.TraitsOf(e.Number);
        var failed = e.Failed;

        var slot = FdSlots.None;
        if ((traits & SyscallTraits.FdArg0) != 0 && e.Arg0 <= int.MaxValue)
        {
            if ((traits & SyscallTraits.Connects) != 0)
            {
                // Seen before the connect (setsockopt, bind), the socket had no peer yet: ask again, accepting only a
                // socket (a lagging drain may find the number closed and reused by a pipe).
                _fds.ExpectSocket(e.Pid, (int)e.Arg0);
                _fds.Connecting(e.Pid, (int)e.Arg0, e.Arg1);
            }

            slot = _fds.SlotOf(e.Pid, (int)e.Arg0);
        }

        var index = IndexOf(new StatsKey(e.Tid, e.Number, slot), e.Pid);
        var observed = _observed[index];
        ref var stats = ref _stats[index];
        stats.Count++;
        stats.TotalNs += e.DurationNs;
        if (e.DurationNs > stats.MaxNs)
        {
            stats.MaxNs = e.DurationNs;
        }

        if (failed)
        {
            stats.Errors++;
            ref var errnoCount = ref CollectionsMarshal.GetValueRefOrAddDefault(_errnos, (index, e.Errno), out _);
            errnoCount++;
        }
        else
        {
            if (e.Return == 0)
            {
                stats.EmptyReturns++;
            }

            if ((traits & SyscallTraits.ReturnsBytes) != 0)
            {
                stats.Bytes += e.Return;
            }
            else if ((traits & SyscallTraits.MapsLengthArg1) != 0)
            {
                var touched = MemoryRange.TouchedBytes(traits, e.Arg1, e.Arg2);
                stats.Bytes += touched;
                stats.LargeMaps += touched >= MemoryRange.LargeBytes ? 1 : 0;
            }
        }

        _histograms[(index * DurationHistogram.BucketCount) + DurationHistogram.BucketOf(e.DurationNs)]++;
        if (e.StackId != StackTable.None)
        {
            CountSite(index, e.StackId);
        }

        if (slot > FdSlots.Overflow && !failed && !observed)
        {
            if ((traits & SyscallTraits.Write) != 0)
            {
                RunsOf(slot).OnWrite();
                if (IsStreamSocket(slot))
                {
                    Sent(slot, e);
                }
            }
            else if ((traits & SyscallTraits.Read) != 0)
            {
                RunsOf(slot).OnRead();
                if (e.Return > 0 && IsStreamSocket(slot))
                {
                    ref var conversation = ref ConversationOf(slot, e.Pid, (int)e.Arg0);
                    ref readonly var spins = ref SpinsOf(conversation.Awaiting ? conversation.SenderTid : e.Tid);
                    conversation.OnReceive(e.StartNs, e.StartNs + e.DurationNs, e.Return, spins.Calls, spins.Ns);
                }
            }
        }

        if (slot > FdSlots.Overflow && (traits & SyscallTraits.Connects) != 0 && !observed)
        {
            // Failed too: a non-blocking connect returns EINPROGRESS and completes later.
            ConversationOf(slot, e.Pid, (int)e.Arg0).Connected = true;
        }
        else if (e.Number == _futex || e.Number == _schedYield)
        {
            ref var spins = ref SpinsOf(e.Tid);
            spins.Calls++;
            spins.Ns += e.Number == _schedYield ? e.DurationNs : 0;
        }

        if (!failed)
        {
            TrackFdLifetime(e, traits, observed);
        }
        else if ((traits & (SyscallTraits.OpensFlagsArg1 | SyscallTraits.OpensFlagsArg2)) != 0)
        {
            _openPaths.Remove(e.Tid); // a failed open's path must not name the thread's next fd
        }

        if (!observed)
        {
            _timeline.Add(e.Number, e.StartNs);
        }
    }

    private void CountSite(int index, int stackId)
    {
        var site = (index, stackId);
        if (_sites.Count >= MaxSites && !_sites.ContainsKey(site))
        {
            site = (index, StackTable.Overflow);
        }

        ref var count = ref CollectionsMarshal.GetValueRefOrAddDefault(_sites, site, out _);
        count++;
    }

    /// <param name="observed">The call was on an fd of the observer's (an accept on the runtime's diagnostic server).</param>
    private void TrackFdLifetime(in SyscallEvent e, SyscallTraits traits, bool observed)
    {
        if ((traits & (SyscallTraits.OpensFlagsArg1 | SyscallTraits.OpensFlagsArg2)) != 0)
        {
            // open(path, flags) and openat(dirfd, path, flags): the path is the argument before the flags.
            var flagsArg2 = (traits & SyscallTraits.OpensFlagsArg2) != 0;
            _openPaths.Remove(e.Tid, out var captured);
            _fds.Opened(e.Pid, (int)e.Return, (int)(flagsArg2 ? e.Arg2 : e.Arg1), flagsArg2 ? e.Arg1 : e.Arg0, captured);
        }
        else if ((traits & SyscallTraits.ReturnsSocket) != 0)
        {
            _fds.ExpectSocket(e.Pid, (int)e.Return);
            if ((traits & SyscallTraits.Accepts) != 0 && observed)
            {
                _fds.AcceptedByObserver(e.Pid, (int)e.Return);
            }
            else if ((traits & SyscallTraits.Accepts) != 0 && _accepted.Count < MaxKeys)
            {
                _accepted.Add((e.Pid, (int)e.Return));
            }
        }
        else if ((traits & SyscallTraits.ClosesArg0) != 0)
        {
            _fds.Closed(e.Pid, (int)e.Arg0);
        }
        else if ((traits & SyscallTraits.ReplacesArg1) != 0)
        {
            _fds.Closed(e.Pid, (int)e.Arg1);
        }
        else if ((traits & SyscallTraits.ClosesRange) != 0)
        {
            _fds.InvalidateRange(e.Pid, (int)Math.Min(e.Arg0, int.MaxValue), (int)Math.Min(e.Arg1, int.MaxValue));
        }
        else if ((traits & SyscallTraits.Exec) != 0)
        {
            _fds.InvalidateProcess(e.Pid);
            if (_newProcesses.Count < MaxKeys)
            {
                // Bounded for a spawn storm nobody asks about (a replay has no session looking).
                _newProcesses.Enqueue(e.Pid);
            }
        }
    }

    private int IndexOf(StatsKey key, int pid)
    {
        if (key == _lastKey)
        {
            return _lastIndex;
        }

        if (!_index.TryGetValue(key, out var index))
        {
            index = AddKey(key, pid);
        }

        _lastKey = key;
        _lastIndex = index;
        return index;
    }

    private int AddKey(StatsKey key, int pid)
    {
        var observer = key.FdSlot > FdSlots.Overflow && _fds.All[key.FdSlot].Observer;
        if (_keys.Count >= MaxKeys)
        {
            // The observer's calls keep their fd, so they stay apart from the app's even here.
            var overflow = new StatsKey(OverflowTid, key.Number, observer ? key.FdSlot : FdSlots.None);
            if (_index.TryGetValue(overflow, out var existing))
            {
                return existing;
            }

            key = overflow;
        }

        var index = _keys.Count;
        _keys.Add(key);
        _index[key] = index;
        if (index == _stats.Length)
        {
            Array.Resize(ref _stats, _stats.Length * 2);
            Array.Resize(ref _observed, _stats.Length);
            Array.Resize(ref _histograms, _stats.Length * DurationHistogram.BucketCount);
        }

        _observed[index] = observer;

        if (_pids.Count < MaxKeys && _pids.Add(pid))
        {
            _newProcesses.Enqueue(pid);
        }

        if (key.Tid != OverflowTid && _pidOfTid.TryAdd(key.Tid, pid))
        {
            // Named now, while the thread surely exists; renamed at the snapshot if it is still alive then.
            _firstNames[key.Tid] = _introspector.ThreadName(pid, key.Tid);
        }

        return index;
    }

    private ref FdRuns RunsOf(int slot)
    {
        if (slot >= _runs.Length)
        {
            Array.Resize(ref _runs, Math.Max(_runs.Length * 2, slot + 1));
        }

        return ref _runs[slot];
    }

    private void Sent(int slot, in SyscallEvent e)
    {
        ref var conversation = ref ConversationOf(slot, e.Pid, (int)e.Arg0);
        if (conversation.Awaiting)
        {
            conversation.OnPipelinedSend(e.StartNs, e.StartNs + e.DurationNs, e.Return);
        }
        else
        {
            ref readonly var spins = ref SpinsOf(e.Tid);
            conversation.OnSend(e.StartNs, e.StartNs + e.DurationNs, e.Return, e.Tid, spins.Calls, spins.Ns);
        }
    }

    /// <summary>
    /// Whether the slot is a TCP or unix socket, whose conversation is followed; decided once per slot, so a
    /// storm of writes to a file pays one array read for it.
    /// </summary>
    private bool IsStreamSocket(int slot)
    {
        if (slot >= _streams.Length)
        {
            Array.Resize(ref _streams, Math.Max(_streams.Length * 2, slot + 1));
        }

        ref var known = ref _streams[slot];
        if (known == 0)
        {
            known = ConversationSide.IsStream(_fds.All[slot].Description) ? (sbyte)1 : (sbyte)-1;
        }

        return known > 0;
    }

    /// <summary>The slot's conversation; the first time it is seen, whether accept made its socket.</summary>
    private ref SocketConversation ConversationOf(int slot, int pid, int fd)
    {
        if (slot >= _conversations.Length)
        {
            Array.Resize(ref _conversations, Math.Max(_conversations.Length * 2, slot + 1));
        }

        ref var conversation = ref _conversations[slot];
        if (conversation.FirstNs == 0 && _accepted.Count > 0 && _accepted.Remove((pid, fd)))
        {
            conversation.Accepted = true;
        }

        return ref conversation;
    }

    private ref (long Calls, long Ns) SpinsOf(int tid)
    {
        if (tid != _lastSpinTid)
        {
            if (!_spinIndex.TryGetValue(tid, out var index) && _spinIndex.Count < MaxKeys)
            {
                index = _spinIndex.Count;
                _spinIndex[tid] = index;
                if (index == _spins.Length)
                {
                    Array.Resize(ref _spins, _spins.Length * 2);
                }
            }

            _lastSpinTid = tid;
            _lastSpinIndex = index;
        }

        return ref _spins[_lastSpinIndex];
    }

    /// <summary>Sums each fd slot's writes, reads and syncs once, for rules that weigh one against another.</summary>
    private Dictionary<int, FdTraffic> Traffic(List<StatsRow> rows)
    {
        var traffic = new Dictionary<int, FdTraffic>();
        foreach (var row in rows)
        {
            if (row.Fd is null)
            {
                continue;
            }

            var traits = _catalog.TraitsOf(row.Number);
            var t = traffic.GetValueOrDefault(row.Fd.Id);
            if ((traits & SyscallTraits.Write) != 0)
            {
                t = t with { Writes = t.Writes + row.Stats.Count, WriteBytes = t.WriteBytes + row.Stats.Bytes };
            }
            else if ((traits & SyscallTraits.Read) != 0)
            {
                t = t with { Reads = t.Reads + row.Stats.Count, ReadBytes = t.ReadBytes + row.Stats.Bytes };
            }
            else if ((traits & SyscallTraits.Sync) != 0)
            {
                t = t with { Syncs = t.Syncs + row.Stats.Count };
            }

            traffic[row.Fd.Id] = t;
        }

        return traffic;
    }

    /// <summary>
    /// A key's stacks, most calls first. When fewer calls had their stack walked than the key made (sampled
    /// stacks, or walks that failed), each stack's count is scaled up by the same factor: estimates that add up
    /// to the key's exact count, marked with the walked count they came from.
    /// </summary>
    private static IReadOnlyList<StackCount> Scaled(List<StackCount> walked, long calls)
    {
        var total = walked.Sum(s => s.Count);
        if (total > 0 && total < calls)
        {
            var scale = (double)calls / total;
            walked = walked.Select(s => new StackCount(s.StackId, (long)Math.Round(s.Count * scale)) { Sampled = s.Count }).ToList();
        }

        return walked.OrderByDescending(c => c.Count).ToList();
    }

    /// <summary>Freezes what was aggregated. Call after the source has stopped delivering.</summary>
    public SyscallSnapshot Snapshot(long endNs)
    {
        var errnosByIndex = _errnos
            .GroupBy(p => p.Key.Index)
            .ToDictionary(g => g.Key, g => (IReadOnlyDictionary<int, long>)g.ToDictionary(p => p.Key.Errno, p => p.Value));
        var empty = new Dictionary<int, long>();
        var stacksByIndex = _sites
            .GroupBy(p => p.Key.Index)
            .ToDictionary(g => g.Key, g => Scaled(g.Select(p => new StackCount(p.Key.StackId, p.Value)).ToList(), _stats[g.Key].Count));

        var fds = _fds.Freeze();
        var rows = new List<StatsRow>(_keys.Count);
        var observerRows = new List<StatsRow>();
        for (var i = 0; i < _keys.Count; i++)
        {
            var key = _keys[i];
            (_observed[i] ? observerRows : rows).Add(new StatsRow(
                key.Tid == OverflowTid ? 0 : _pidOfTid[key.Tid],
                key.Tid,
                key.Number,
                _catalog.NameOf(key.Number),
                key.FdSlot == FdSlots.None ? null : fds[key.FdSlot],
                _stats[i],
                _histograms.AsSpan(i * DurationHistogram.BucketCount, DurationHistogram.BucketCount).ToArray(),
                errnosByIndex.GetValueOrDefault(i) ?? empty,
                stacksByIndex.GetValueOrDefault(i) ?? []));
        }

        var runs = new Dictionary<int, FdRuns>();
        for (var slot = 1; slot < Math.Min(_runs.Length, _fds.All.Count); slot++)
        {
            if (_runs[slot].WriteCalls + _runs[slot].ReadCalls > 0)
            {
                runs[slot] = _runs[slot];
            }
        }

        var conversations = new Dictionary<int, SocketConversation>();
        for (var slot = 1; slot < Math.Min(_conversations.Length, fds.Count); slot++)
        {
            if (_conversations[slot].Sends + _conversations[slot].Receives > 0 && ConversationSide.IsStream(fds[slot].Description))
            {
                conversations[slot] = _conversations[slot];
            }
        }

        var processNames = new Dictionary<int, string?>();
        var threads = _pidOfTid
            .Select(p =>
            {
                var (tid, pid) = (p.Key, p.Value);
                var name = _introspector.ThreadName(pid, tid) ?? _reportedNames.GetValueOrDefault(tid) ?? _firstNames[tid];
                if (!processNames.TryGetValue(pid, out var processName))
                {
                    processName = _introspector.ThreadName(pid, pid) ?? _reportedNames.GetValueOrDefault(pid) ?? _firstNames.GetValueOrDefault(pid);
                    processNames[pid] = processName;
                }

                return new ThreadInfo(pid, tid, name ?? $"thread {tid}", ThreadRoles.Infer(pid, tid, name, processName));
            })
            .OrderBy(t => t.Pid)
            .ThenBy(t => t.Tid)
            .ToList();

        // The observer's calls are not the app's: out of every total, as they are out of the rows.
        var appEvents = _events - observerRows.Sum(r => r.Stats.Count);
        return new SyscallSnapshot(
            _catalog, rows, fds, runs, Traffic(rows), threads, _timeline, appEvents, _lost, _timeline.OriginNs, endNs)
        {
            FirstEventNs = _events == 0 ? _timeline.OriginNs : Math.Max(_timeline.OriginNs, _firstEventNs),
            ConversationsByFdSlot = conversations,
            ObserverRows = observerRows,
        };
    }
}
