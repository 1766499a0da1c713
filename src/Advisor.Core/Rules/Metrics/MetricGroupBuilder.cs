using System.Globalization;
using Advisor.Core.Aggregation;
using Advisor.Core.Stacks;
using Advisor.Core.Syscalls;
using Advisor.Core.Threads;

namespace Advisor.Core.Rules.Metrics;

/// <summary>Groups a snapshot's rows the way a rule asks and computes every <see cref="Metric"/> of its scope.</summary>
public static class MetricGroupBuilder
{
    public static IReadOnlyList<MetricGroup> Build(AggregateSnapshot snapshot, IEnumerable<StatsRow> rows, GroupBy groupBy)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        if (groupBy == GroupBy.LockSite)
        {
            return LockSiteGroups.Build(snapshot);
        }

        if (groupBy == GroupBy.ThreadPool)
        {
            return ThreadPoolGroups.Build(snapshot);
        }

        if (groupBy == GroupBy.Peer)
        {
            return PeerGroups.Build(snapshot, rows);
        }

        IEnumerable<IGrouping<string, StatsRow>> groups = groupBy switch
        {
            GroupBy.Process => rows.GroupBy(r => snapshot.ProgramOf(r.Pid)),
            GroupBy.Thread => rows.GroupBy(r => r.Tid.ToString(CultureInfo.InvariantCulture)),
            // Calls without an fd cannot belong to an fd group.
            GroupBy.Fd => rows.Where(r => r.Fd is not null).GroupBy(r => r.Fd!.Id.ToString(CultureInfo.InvariantCulture)),
            // A path opened under several fd numbers is one group: what the fds refer to, per process.
            GroupBy.Path => rows.Where(r => r.Fd is not null).GroupBy(r => $"{r.Pid} {r.Fd!.Description}"),
            GroupBy.Site => GroupBySite(snapshot, rows),
            // Per program too: the same syscall in a testhost and in the SDK that started it are two stories,
            // while 400 children that each exec `true` once are one spawn storm.
            _ => rows.GroupBy(r => $"{snapshot.ProgramOf(r.Pid)} {r.Syscall}"),
        };

        return groups.Select(g => Create(snapshot, g.ToList())).ToList();
    }

    private static IEnumerable<IGrouping<string, StatsRow>> GroupBySite(AggregateSnapshot snapshot, IEnumerable<StatsRow> rows)
    {
        var sites = new RowSites(snapshot);
        return rows.GroupBy(r => $"{snapshot.ProgramOf(r.Pid)} {sites.Of(r)}");
    }

    internal static MetricGroup Create(AggregateSnapshot snapshot, IReadOnlyList<StatsRow> rows)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(rows);
        long count = 0, errors = 0, bytes = 0, totalNs = 0, maxNs = 0, empty = 0, largeMaps = 0;
        var histogram = new long[DurationHistogram.BucketCount];
        foreach (var row in rows)
        {
            count += row.Stats.Count;
            errors += row.Stats.Errors;
            bytes += row.Stats.Bytes;
            totalNs += row.Stats.TotalNs;
            maxNs = Math.Max(maxNs, row.Stats.MaxNs);
            empty += row.Stats.EmptyReturns;
            largeMaps += row.Stats.LargeMaps;
            for (var i = 0; i < histogram.Length; i++)
            {
                histogram[i] += row.Histogram[i];
            }
        }

        var seconds = snapshot.DurationSeconds;
        var succeeded = count - errors;
        var tids = rows.Select(r => r.Tid).Distinct().ToList();
        var fdSlots = rows.Where(r => r.Fd is not null).Select(r => r.Fd!).DistinctBy(f => f.Id).ToList();
        var metrics = new MetricValues
        {
            [Metric.Count] = count,
            [Metric.Errors] = errors,
            [Metric.ErrorRate] = count == 0 ? 0 : (double)errors / count,
            [Metric.Bytes] = bytes,
            [Metric.AvgBytes] = succeeded == 0 ? 0 : (double)bytes / succeeded,
            [Metric.TotalMs] = totalNs / 1e6,
            [Metric.AvgUs] = count == 0 ? 0 : totalNs / 1e3 / count,
            [Metric.P50Us] = DurationHistogram.Percentile(histogram, 0.50) / 1e3,
            [Metric.P90Us] = DurationHistogram.Percentile(histogram, 0.90) / 1e3,
            [Metric.P99Us] = DurationHistogram.Percentile(histogram, 0.99) / 1e3,
            [Metric.MaxMs] = maxNs / 1e6,
            [Metric.Rate] = seconds <= 0 ? 0 : count / seconds,
            [Metric.DurationSeconds] = seconds,
            [Metric.WallShare] = seconds <= 0 ? 0 : totalNs / 1e9 / seconds,
            [Metric.CallShare] = snapshot.EventsTotal == 0 ? 0 : (double)count / snapshot.EventsTotal,
            [Metric.Threads] = tids.Count,
            [Metric.Fds] = fdSlots.Count,
            [Metric.Opens] = fdSlots.Sum(f => f.Opens),
            [Metric.ListingsPerDir] = ListingsPerDirectory(fdSlots),
            [Metric.ListingCalls] = rows.Where(r => r.Syscall is "getdents64" or "getdents").Sum(r => r.Stats.Count),
            [Metric.UnresolvedFds] = fdSlots.Count(f => !f.Resolved),
            // How .NET's Thread.Sleep waits on Linux is a timed condition wait: a futex that times out.
            [Metric.Sleeps] = rows.Where(r => r.Syscall is "nanosleep" or "clock_nanosleep").Sum(r => r.Stats.Count - r.Stats.Errors)
                + ErrnoCount(snapshot, rows.Where(r => r.Syscall == "futex"), "ETIMEDOUT"),
            [Metric.RetryErrors] = ErrnoCount(snapshot, rows, "EAGAIN") + ErrnoCount(snapshot, rows, "EINTR"),
            [Metric.EmptyReturns] = empty,
            [Metric.LargeMaps] = largeMaps,
            [Metric.Cores] = Environment.ProcessorCount,
            [Metric.RuntimeThreads] = tids.Count(tid => snapshot.ThreadsByTid.TryGetValue(tid, out var t) && ThreadRoles.IsRuntimeInternal(t.Role)),
        };
        AddFdMetrics(snapshot, fdSlots, metrics);
        AddRequestMetrics(snapshot, rows, fdSlots, metrics);
        AddTimeMetrics(snapshot, rows, metrics);

        var threadCounts = rows.GroupBy(r => r.Tid)
            .Select(g => (Tid: g.Key, Count: g.Sum(r => r.Stats.Count)))
            .OrderByDescending(t => t.Count)
            .ToList();
        return new MetricGroup(
            rows, metrics, Labels(snapshot, rows, fdSlots, threadCounts), (rows.SelectMany(r => r.Stacks).ToList(), snapshot.Stacks), threadCounts);
    }

    /// <summary>
    /// The group's time as the calls spend it without the tool: the work calls' recorded time less what the
    /// recorder added to each (and to each walked stack), plus the crossing into the kernel; waiting apart, as
    /// recorded. So rules judge the same time on every backend (perf's stack walks quadruple a cheap call's
    /// recorded time, bpf's records add a fraction of a microsecond), and totalMs and avgUs follow; wallShare is
    /// the work's share of the recording.
    /// </summary>
    private static void AddTimeMetrics(AggregateSnapshot snapshot, IReadOnlyList<StatsRow> rows, MetricValues metrics)
    {
        var split = WaitSplit.Of(snapshot, rows);
        var count = metrics[Metric.Count];
        var stackFrames = StackFrames(snapshot, rows);
        var stackedCalls = rows.Sum(r => r.Stacks.Sum(s => s.Walked));
        var workCalls = count - split.WaitCalls;
        var workNs = workCalls <= 0 ? 0 : workCalls * snapshot.Tracer.BareCostNs(split.WorkNs / workCalls, Math.Min(1, stackedCalls / count), stackFrames);
        var totalNs = workNs + split.WaitNs;
        var seconds = snapshot.DurationSeconds;
        metrics[Metric.RecordedMs] = metrics[Metric.TotalMs];
        metrics[Metric.TotalMs] = totalNs / 1e6;
        metrics[Metric.AvgUs] = count == 0 ? 0 : totalNs / 1e3 / count;
        // What the calls cost, not what they waited: a watcher blocked on its inotify fd is not busy.
        metrics[Metric.WallShare] = seconds <= 0 ? 0 : workNs / 1e9 / seconds;
        metrics[Metric.BlockedMs] = split.WaitNs / 1e6;
        metrics[Metric.BlockedCalls] = split.WaitCalls;
        metrics[Metric.WorkMs] = workNs / 1e6;
        metrics[Metric.StackFrames] = stackFrames;
        metrics[Metric.StackedCalls] = stackedCalls;
    }

    /// <summary>The group's calls' mean stack depth, over the calls whose stacks were named.</summary>
    private static double StackFrames(AggregateSnapshot snapshot, IReadOnlyList<StatsRow> rows)
    {
        double frames = 0;
        long calls = 0;
        foreach (var (id, count) in rows.SelectMany(r => r.Stacks))
        {
            var stack = snapshot.Stacks[id];
            if (stack.Frames.Count > 0)
            {
                frames += (double)stack.Frames.Count * count;
                calls += count;
            }
        }

        return calls == 0 ? 0 : frames / calls;
    }

    /// <summary>
    /// A directory's slot is per fd number, so one folder listed under several numbers has several: opens are summed
    /// per path. A tree walked once (a file provider watching its content root) lists each folder once.
    /// </summary>
    private static double ListingsPerDirectory(IReadOnlyList<FdSlot> fdSlots)
    {
        var directories = fdSlots.Where(f => FdKinds.Of(f.Description) == FdKind.Directory).ToList();
        var paths = directories.Select(f => f.Description).Distinct(StringComparer.Ordinal).Count();
        return paths == 0 ? 0 : (double)directories.Sum(f => Math.Max(1, f.Opens)) / paths;
    }

    /// <summary>What happened on the group's fds beyond the rule's own syscalls (writes next to fsyncs, runs).</summary>
    private static void AddFdMetrics(AggregateSnapshot snapshot, IReadOnlyList<FdSlot> fdSlots, MetricValues metrics)
    {
        var slots = fdSlots.Select(f => f.Id);
        long writeRuns = 0, writeCalls = 0, longestWrite = 0, readRuns = 0, readCalls = 0, longestRead = 0;
        foreach (var slot in slots)
        {
            if (snapshot.RunsByFdSlot.TryGetValue(slot, out var runs))
            {
                writeRuns += runs.WriteRuns;
                writeCalls += runs.WriteCalls;
                longestWrite = Math.Max(longestWrite, runs.LongestWriteRun);
                readRuns += runs.ReadRuns;
                readCalls += runs.ReadCalls;
                longestRead = Math.Max(longestRead, runs.LongestReadRun);
            }
        }

        var traffic = default(FdTraffic);
        foreach (var slot in slots)
        {
            var t = snapshot.TrafficByFdSlot.GetValueOrDefault(slot);
            traffic = new FdTraffic(
                traffic.Writes + t.Writes, traffic.WriteBytes + t.WriteBytes, traffic.Reads + t.Reads, traffic.ReadBytes + t.ReadBytes, traffic.Syncs + t.Syncs);
        }

        metrics[Metric.AvgWriteRun] = writeRuns == 0 ? 0 : (double)writeCalls / writeRuns;
        metrics[Metric.LongestWriteRun] = longestWrite;
        metrics[Metric.AvgReadRun] = readRuns == 0 ? 0 : (double)readCalls / readRuns;
        metrics[Metric.LongestReadRun] = longestRead;
        metrics[Metric.FdWrites] = traffic.Writes;
        metrics[Metric.FdWriteBytes] = traffic.WriteBytes;
        metrics[Metric.FdReads] = traffic.Reads;
        metrics[Metric.FdReadBytes] = traffic.ReadBytes;
        metrics[Metric.FdSyncs] = traffic.Syncs;
    }

    /// <summary>
    /// The group's socket calls weighed against the work a server does: per request where the runtime
    /// counted them, else per exchange (a read run followed by a write run on one socket, or a datagram
    /// received: a gRPC, raw socket or UDP server's requests, seen from its syscalls alone).
    /// </summary>
    private static void AddRequestMetrics(AggregateSnapshot snapshot, IReadOnlyList<StatsRow> rows, IReadOnlyList<FdSlot> fdSlots, MetricValues metrics)
    {
        long socketCalls = 0, datagramCalls = 0;
        foreach (var row in rows)
        {
            if (row.Fd is { IsSocket: true } fd)
            {
                socketCalls += row.Stats.Count;
                datagramCalls += fd.Description.StartsWith("udp", StringComparison.Ordinal) ? row.Stats.Count : 0;
            }
        }

        long exchanges = 0;
        foreach (var slot in fdSlots)
        {
            if (slot.IsSocket && snapshot.RunsByFdSlot.TryGetValue(slot.Id, out var runs))
            {
                // A datagram received is a request of its own (a StatsD or DNS server's unit of work).
                exchanges += slot.Description.StartsWith("udp", StringComparison.Ordinal) ? runs.ReadCalls : Math.Min(runs.ReadRuns, runs.WriteRuns);
            }
        }

        var requests = Math.Round(snapshot.RequestsRecorded);
        var per = requests >= 1 ? requests : exchanges;
        metrics[Metric.SocketCalls] = socketCalls;
        metrics[Metric.DatagramCalls] = datagramCalls;
        metrics[Metric.Exchanges] = exchanges;
        metrics[Metric.Requests] = requests;
        metrics[Metric.CallsPerRequest] = per == 0 ? 0 : socketCalls / per;
    }

    /// <summary>
    /// A group made from runtime events rather than syscall rows (lock sites, the thread pool): every metric
    /// starts at 0 and the caller fills the ones that mean something; the labels name what the group is.
    /// </summary>
    internal static MetricGroup FromRuntime(
        AggregateSnapshot snapshot,
        Action<MetricValues> fill,
        string what,
        IReadOnlyList<(int Tid, long Count)> threadCounts,
        (IReadOnlyList<StackCount> Counts, CallStacks Names) stacks,
        string lockSite = "")
    {
        var metrics = new MetricValues();
        metrics[Metric.DurationSeconds] = snapshot.DurationSeconds;
        metrics[Metric.Cores] = Environment.ProcessorCount;
        fill(metrics);
        // Runtime groups count waits (for a lock, for a task): all of it latency, none of it recorder time.
        metrics[Metric.BlockedMs] = metrics[Metric.TotalMs];
        metrics[Metric.RecordedMs] = metrics[Metric.TotalMs];
        metrics[Metric.BlockedCalls] = metrics[Metric.Count];
        var labels = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["syscall"] = "futex",
            ["path"] = what,
            ["fd"] = "",
            ["thread"] = ThreadLabel(snapshot, threadCounts),
            ["pid"] = "",
            ["lockSite"] = lockSite,
            ["topErrno"] = "",
            ["endpoint"] = "",
            ["perRequest"] = "",
        };

        return new MetricGroup([], metrics, labels, stacks, threadCounts);
    }

    private static long ErrnoCount(AggregateSnapshot snapshot, IEnumerable<StatsRow> rows, string name) =>
        snapshot.Catalog.Errnos.TryGetNumber(name, out var errno) ? rows.Sum(r => r.ErrorsByErrno.GetValueOrDefault(errno)) : 0;

    /// <summary>The group's most frequent error (ENOENT, EAGAIN, …), or empty when nothing failed.</summary>
    private static string TopErrno(AggregateSnapshot snapshot, IReadOnlyList<StatsRow> rows)
    {
        var top = rows.SelectMany(r => r.ErrorsByErrno)
            .GroupBy(p => p.Key)
            .Select(g => (Errno: g.Key, Count: g.Sum(p => p.Value)))
            .OrderByDescending(e => e.Count)
            .FirstOrDefault();
        return top.Count == 0 ? "" : snapshot.Catalog.Errnos.NameOf(top.Errno);
    }

    /// <summary>"the main thread", ".NET TP Worker ×4", "writer-1 and 3 more threads".</summary>
    internal static string ThreadLabel(AggregateSnapshot snapshot, IReadOnlyList<(int Tid, long Count)> threadCounts)
    {
        if (threadCounts.Count == 0)
        {
            return "";
        }

        var info = snapshot.ThreadsByTid;
        var names = threadCounts
            .Select(t => info.TryGetValue(t.Tid, out var i) ? (i.Role == Threads.ThreadRole.Main ? "the main thread" : i.Name) : "other threads")
            .GroupBy(n => n)
            .Select(g => (Name: g.Key, Threads: g.Count()))
            .ToList();
        var top = names[0].Threads > 1 ? string.Create(CultureInfo.InvariantCulture, $"{names[0].Name} ×{names[0].Threads}") : names[0].Name;
        var others = threadCounts.Count - names[0].Threads;
        return others == 0 ? top : string.Create(CultureInfo.InvariantCulture, $"{top} and {others} more thread{(others == 1 ? "" : "s")}");
    }

    private static Dictionary<string, string> Labels(
        AggregateSnapshot snapshot, IReadOnlyList<StatsRow> rows, IReadOnlyList<FdSlot> fds, IReadOnlyList<(int Tid, long Count)> threadCounts)
    {
        var syscalls = rows.GroupBy(r => r.Syscall)
            .OrderByDescending(g => g.Sum(r => r.Stats.Count))
            .Select(g => g.Key);
        var thread = ThreadLabel(snapshot, threadCounts);

        return new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["syscall"] = string.Join("/", syscalls),
            ["path"] = Paths(rows),
            ["fd"] = fds.Count == 1 ? fds[0].Fd.ToString(CultureInfo.InvariantCulture) : "",
            ["thread"] = thread,
            ["pid"] = rows.Count == 0 ? "" : rows[0].Pid.ToString(CultureInfo.InvariantCulture),
            ["topErrno"] = TopErrno(snapshot, rows),
            ["endpoint"] = TopEndpoint(rows),
            ["perRequest"] = PerRequest(snapshot, rows),
        };
    }

    /// <summary>", 3.0 per request" when the server counted its requests, else empty: an aside inside a message's parentheses.</summary>
    private static string PerRequest(AggregateSnapshot snapshot, IReadOnlyList<StatsRow> rows)
    {
        var requests = snapshot.RequestsRecorded;
        return requests < 1 ? "" : string.Create(CultureInfo.InvariantCulture, $", {rows.Sum(r => r.Stats.Count) / requests:0.0} per request");
    }

    /// <summary>
    /// What the group's fds refer to, busiest first: one path; several with their share of the calls —
    /// "a.db-journal ×602, a.db ×301 and /tmp ×301" (SQLite's journal, database and directory) — up to three,
    /// then "and 4 more"; or "(no fd)".
    /// </summary>
    private static string Paths(IReadOnlyList<StatsRow> rows)
    {
        const int Named = 3;
        var paths = rows.Where(r => r.Fd is not null)
            .GroupBy(r => r.Fd!.Description)
            .Select(g => (Path: g.Key, Calls: g.Sum(r => r.Stats.Count)))
            .OrderByDescending(p => p.Calls)
            .ThenBy(p => p.Path, StringComparer.Ordinal)
            .ToList();
        if (paths.Count <= 1)
        {
            return paths.Count == 0 ? "(no fd)" : paths[0].Path;
        }

        var named = paths.Take(Named).Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Path} ×{p.Calls:N0}")).ToList();
        return paths.Count > Named
            ? string.Create(CultureInfo.InvariantCulture, $"{string.Join(", ", named)} and {paths.Count - Named} more")
            : $"{string.Join(", ", named.Take(named.Count - 1))} and {named[^1]}";
    }

    /// <summary>
    /// The peer most of the group's socket calls went to ("127.0.0.1:5000"), "N endpoints" when none stands
    /// out, or "unknown endpoints" when /proc never saw the sockets connected (closed before they were read, or unix sockets).
    /// </summary>
    private static string TopEndpoint(IReadOnlyList<StatsRow> rows)
    {
        var peers = rows.Where(r => r.Fd?.RemoteEndpoint is not null)
            .GroupBy(r => r.Fd!.RemoteEndpoint!)
            .Select(g => (Peer: g.Key, Calls: g.Sum(r => r.Stats.Count)))
            .OrderByDescending(p => p.Calls)
            .ToList();
        if (peers.Count == 0)
        {
            return "unknown endpoints";
        }

        var total = peers.Sum(p => p.Calls);
        return peers[0].Calls * 2 > total || peers.Count == 1
            ? peers[0].Peer
            : string.Create(CultureInfo.InvariantCulture, $"{peers.Count} endpoints");
    }
}
