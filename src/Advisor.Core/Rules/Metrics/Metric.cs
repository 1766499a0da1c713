using System.Collections.Frozen;

namespace Advisor.Core.Rules.Metrics;

/// <summary>
/// One number a rule's expressions and messages may use: its name in YAML, what it means, and which groups
/// compute it. This table is the only list: <see cref="MetricGroupBuilder"/> fills values by it, the rule loader
/// accepts exactly its names, and `rules explain` and docs/rules.md print it.
/// </summary>
public sealed class Metric
{
    private static int _defined;

    public static readonly Metric Count = new("count", MetricScope.Calls, "calls in the group");

    public static readonly Metric Errors = new("errors", MetricScope.Calls, "calls that failed");

    public static readonly Metric ErrorRate = new("errorRate", MetricScope.Calls, "errors / count");

    public static readonly Metric Bytes = new("bytes", MetricScope.Calls, "bytes moved by the successful calls; for memory-mapping calls, bytes mapped, committed or released (not reserved)");

    public static readonly Metric AvgBytes = new("avgBytes", MetricScope.Calls, "bytes / successful calls");

    public static readonly Metric TotalMs = new("totalMs", MetricScope.Calls, "time spent in the calls, ms, as without the tool: the recorder's own time per call taken out and the kernel crossing put in (session.recorderCost; as recorded when not measured)");

    public static readonly Metric RecordedMs = new("recordedMs", MetricScope.Calls, "time spent in the calls as recorded, ms, the recorder's own time included");

    public static readonly Metric AvgUs = new("avgUs", MetricScope.Calls, "mean time per call (totalMs / count), µs");

    public static readonly Metric P50Us = new("p50Us", MetricScope.Calls, "median time per call, µs");

    public static readonly Metric P90Us = new("p90Us", MetricScope.Calls, "90th percentile time per call, µs");

    public static readonly Metric P99Us = new("p99Us", MetricScope.Calls, "99th percentile time per call, µs");

    public static readonly Metric MaxMs = new("maxMs", MetricScope.Calls, "longest call, ms");

    public static readonly Metric Rate = new("rate", MetricScope.Calls, "calls per second of recording");

    public static readonly Metric DurationSeconds = new("durationSeconds", MetricScope.Calls, "length of the recording, s");

    public static readonly Metric WallShare = new("wallShare", MetricScope.Calls, "workMs / length of the recording: the share of time the calls worked rather than waited (above 1 when several threads)");

    public static readonly Metric CallShare = new("callShare", MetricScope.Calls, "count / all calls recorded");

    public static readonly Metric Threads = new("threads", MetricScope.Calls, "distinct threads making the calls");

    public static readonly Metric Fds = new("fds", MetricScope.Calls, "distinct fds the calls used");

    public static readonly Metric AvgWriteRun = new("avgWriteRun", MetricScope.Fds, "mean length of runs of writes to the fd with no read between");

    public static readonly Metric LongestWriteRun = new("longestWriteRun", MetricScope.Fds, "longest such run of writes");

    public static readonly Metric AvgReadRun = new("avgReadRun", MetricScope.Fds, "mean length of runs of reads from the fd with no write between");

    public static readonly Metric LongestReadRun = new("longestReadRun", MetricScope.Fds, "longest such run of reads");

    public static readonly Metric FdWrites = new("fdWrites", MetricScope.Fds, "write-family calls on the fd, whatever the rule's syscalls");

    public static readonly Metric FdWriteBytes = new("fdWriteBytes", MetricScope.Fds, "bytes written to the fd");

    public static readonly Metric FdReads = new("fdReads", MetricScope.Fds, "read-family calls on the fd");

    public static readonly Metric FdReadBytes = new("fdReadBytes", MetricScope.Fds, "bytes read from the fd");

    public static readonly Metric FdSyncs = new("fdSyncs", MetricScope.Fds, "fsync-family calls on the fd");

    public static readonly Metric UnresolvedFds = new("unresolvedFds", MetricScope.Calls, "fds of the group closed before /proc could say what they were (their path is unknown)");

    public static readonly Metric Opens = new("opens", MetricScope.Calls, "how many times the group's fds were opened (again) during the recording");

    public static readonly Metric ListingsPerDir = new("listingsPerDir", MetricScope.Calls, "times each directory the group's calls list was opened, on average: about 1 for a walk over a tree, more when the same folders are listed again and again; 0 when the group lists none");

    public static readonly Metric ListingCalls = new("listingCalls", MetricScope.Calls, "calls of the group that read a directory's entries (getdents64, getdents)");

    public static readonly Metric PoolWorkers = new("poolWorkers", MetricScope.ThreadPool, "most thread-pool workers active at once");

    public static readonly Metric WorkerStarts = new("workerStarts", MetricScope.ThreadPool, "thread-pool workers started during the recording: injected threads");

    public static readonly Metric StarvationInjections = new("starvationInjections", MetricScope.ThreadPool, "workers the pool added because queued work made no progress");

    public static readonly Metric BlockingInjections = new("blockingInjections", MetricScope.ThreadPool, "workers the pool added because a worker blocked in Task.Wait or .Result");

    public static readonly Metric WorkItems = new("workItems", MetricScope.ThreadPool, "work items the pool completed during the recording, as its hill climbing counted them");

    public static readonly Metric Cores = new("cores", MetricScope.Calls, "processors of the machine");

    public static readonly Metric RuntimeThreads = new("runtimeThreads", MetricScope.Calls, "threads of the group that belong to the runtime itself (timer, finalizer, GC, tiering, socket engine, other .NET services)");

    public static readonly Metric RetryErrors = new("retryErrors", MetricScope.Calls, "failures that ask to try again: EAGAIN (non-blocking calls that would block) and EINTR");

    public static readonly Metric SiteShare = new("siteShare", MetricScope.Rule, "share of the calls made from the call sites the rule names in callSite (any application call site when it names none); 0 without stacks");

    public static readonly Metric EmptyReturns = new("emptyReturns", MetricScope.Calls, "successful calls that returned 0: a poll or wait with nothing ready, a read at end of file");

    public static readonly Metric LargeMaps = new("largeMaps", MetricScope.Calls, "memory-mapping calls (mmap, munmap, mprotect, madvise) that mapped, committed or released at least 1 MiB");

    public static readonly Metric BlockedMs = new("blockedMs", MetricScope.Calls, "time the group's calls spent waiting for something outside them (a lock, a timer, a peer), ms: latency, not CPU");

    public static readonly Metric BlockedCalls = new("blockedCalls", MetricScope.Calls, "calls that waited so (longer than 50 µs in a call that waits: futex, sleeps, polls, accept, flock, wait4, reads of sockets and pipes)");

    public static readonly Metric WorkMs = new("workMs", MetricScope.Calls, "time of the group's calls that was work rather than waiting, ms, as without the tool (totalMs - blockedMs)");

    public static readonly Metric StackFrames = new("stackFrames", MetricScope.Calls, "mean user stack frames of the group's calls whose stack was walked (0 without stacks)");

    public static readonly Metric StackedCalls = new("stackedCalls", MetricScope.Calls, "calls of the group whose user stack was walked: all of them with --stacks all, the sampled ones by default");

    public static readonly Metric SocketCalls = new("socketCalls", MetricScope.Calls, "calls of the group made on sockets");

    public static readonly Metric DatagramCalls = new("datagramCalls", MetricScope.Calls, "calls of the group made on UDP sockets, which move one datagram per call whatever the buffer");

    public static readonly Metric Exchanges = new("exchanges", MetricScope.Calls, "request/response turns on the group's sockets: alternations between reading from a socket and writing to it, and datagrams received on UDP sockets");

    public static readonly Metric Requests = new("requests", MetricScope.Calls, "requests the server handled during the recording (ASP.NET Core's hosting counters); 0 when the target reports none");

    public static readonly Metric CallsPerRequest = new("callsPerRequest", MetricScope.Calls, "socketCalls per request, or per exchange where the target reports no requests; 0 when neither is known");

    public static readonly Metric Sleeps = new("sleeps", MetricScope.Calls, "calls that slept their full time: nanosleep, clock_nanosleep, and futex waits that timed out (how Thread.Sleep waits)");

    public static readonly Metric RoundTrips = new("roundTrips", MetricScope.Conversations, "exchanges with the peer: a run of sends on a client socket, then the receive that brought the answer");

    public static readonly Metric RoundTripRate = new("roundTripRate", MetricScope.Conversations, "roundTrips per second of recording");

    public static readonly Metric RoundTripsPerRequest = new("roundTripsPerRequest", MetricScope.Conversations, "roundTrips per request the server handled (0 when the target reports no requests)");

    public static readonly Metric WaitedMs = new("waitedMs", MetricScope.Conversations, "time from each exchange's last send to the end of its answer's first receive, summed, ms: what the callers waited for answers");

    public static readonly Metric AvgWaitUs = new("avgWaitUs", MetricScope.Conversations, "waitedMs per round trip, µs");

    public static readonly Metric InFlight = new("inFlight", MetricScope.Conversations, "waitedMs / the time from the first to the last call on the peer's sockets: about 1 or less when each answer is awaited before the next request, above when exchanges overlap (concurrent callers, several connections at once)");

    public static readonly Metric Connections = new("connections", MetricScope.Conversations, "client sockets to the peer that exchanged data");

    public static readonly Metric PipelinedSends = new("pipelinedSends", MetricScope.Conversations, "sends made while an answer was still awaited on the same socket: requests pipelined");

    public static readonly Metric SpinCalls = new("spinCalls", MetricScope.Conversations, "futex and sched_yield calls the process made while answers were awaited (scaled down by inFlight when exchanges overlap): the runtime parking and spinning the waiters");

    public static readonly Metric SpinMs = new("spinMs", MetricScope.Conversations, "time in sched_yield while answers were awaited, ms (scaled as spinCalls)");

    public static readonly Metric BytesPerRoundTrip = new("bytesPerRoundTrip", MetricScope.Conversations, "bytes sent and received per round trip");

    /// <summary>Every metric, in the order docs list them (and <see cref="Index"/> order).</summary>
    public static readonly IReadOnlyList<Metric> All =
    [
        Count,
        Errors,
        ErrorRate,
        Bytes,
        AvgBytes,
        TotalMs,
        RecordedMs,
        AvgUs,
        P50Us,
        P90Us,
        P99Us,
        MaxMs,
        Rate,
        DurationSeconds,
        WallShare,
        CallShare,
        Threads,
        Fds,
        AvgWriteRun,
        LongestWriteRun,
        AvgReadRun,
        LongestReadRun,
        FdWrites,
        FdWriteBytes,
        FdReads,
        FdReadBytes,
        FdSyncs,
        UnresolvedFds,
        Opens,
        ListingsPerDir,
        ListingCalls,
        PoolWorkers,
        WorkerStarts,
        StarvationInjections,
        BlockingInjections,
        WorkItems,
        Cores,
        RuntimeThreads,
        RetryErrors,
        SiteShare,
        EmptyReturns,
        LargeMaps,
        BlockedMs,
        BlockedCalls,
        WorkMs,
        StackFrames,
        StackedCalls,
        SocketCalls,
        DatagramCalls,
        Exchanges,
        Requests,
        CallsPerRequest,
        Sleeps,
        RoundTrips,
        RoundTripRate,
        RoundTripsPerRequest,
        WaitedMs,
        AvgWaitUs,
        InFlight,
        Connections,
        PipelinedSends,
        SpinCalls,
        SpinMs,
        BytesPerRoundTrip,
    ];

    public static readonly FrozenDictionary<string, Metric> ByName = All.ToFrozenDictionary(m => m.Name, StringComparer.Ordinal);

    // Static fields initialise in the order written, so each metric's index is its place in the table.
    private Metric(string name, MetricScope scope, string meaning) => (Name, Scope, Meaning, Index) = (name, scope, meaning, _defined++);

    public string Name { get; }

    public MetricScope Scope { get; }

    public string Meaning { get; }

    /// <summary>Its slot in a group's <see cref="MetricValues"/>.</summary>
    public int Index { get; }

    public override string ToString() => Name;
}
