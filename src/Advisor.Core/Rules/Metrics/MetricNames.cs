using System.Collections.Frozen;

namespace Advisor.Core.Rules.Metrics;

/// <summary>
/// The metrics a rule's expressions may use, with their meaning; the rule loader rejects any other name,
/// and `rules explain` and docs/rules.md print this list.
/// </summary>
public static class MetricNames
{
    /// <summary>The metrics in the order docs and `rules explain` list them.</summary>
    public static readonly IReadOnlyList<KeyValuePair<string, string>> Ordered =
    [
        new("count", "calls in the group"),
        new("errors", "calls that failed"),
        new("errorRate", "errors / count"),
        new("bytes", "bytes moved by the successful calls; for memory-mapping calls, bytes mapped, committed or released (not reserved)"),
        new("avgBytes", "bytes / successful calls"),
        new("totalMs", "time spent in the calls, ms, as without the tool: the recorder's own time per call taken out and the kernel crossing put in (session.recorderCost; as recorded when not measured)"),
        new("recordedMs", "time spent in the calls as recorded, ms, the recorder's own time included"),
        new("avgUs", "mean time per call (totalMs / count), µs"),
        new("p50Us", "median time per call, µs"),
        new("p90Us", "90th percentile time per call, µs"),
        new("p99Us", "99th percentile time per call, µs"),
        new("maxMs", "longest call, ms"),
        new("rate", "calls per second of recording"),
        new("durationSeconds", "length of the recording, s"),
        new("wallShare", "workMs / length of the recording: the share of time the calls worked rather than waited (above 1 when several threads)"),
        new("callShare", "count / all calls recorded"),
        new("threads", "distinct threads making the calls"),
        new("fds", "distinct fds the calls used"),
        new("avgWriteRun", "mean length of runs of writes to the fd with no read between (fd groups)"),
        new("longestWriteRun", "longest such run of writes (fd groups)"),
        new("avgReadRun", "mean length of runs of reads from the fd with no write between (fd groups)"),
        new("longestReadRun", "longest such run of reads (fd groups)"),
        new("fdWrites", "write-family calls on the fd, whatever the rule's syscalls (fd groups)"),
        new("fdWriteBytes", "bytes written to the fd (fd groups)"),
        new("fdReads", "read-family calls on the fd (fd groups)"),
        new("fdReadBytes", "bytes read from the fd (fd groups)"),
        new("fdSyncs", "fsync-family calls on the fd (fd groups)"),
        new("unresolvedFds", "fds of the group closed before /proc could say what they were (their path is unknown)"),
        new("opens", "how many times the group's fds were opened (again) during the recording"),
        new("poolWorkers", "most thread-pool workers active at once (thread-pool groups)"),
        new("workerStarts", "thread-pool workers started during the recording: injected threads (thread-pool groups)"),
        new("starvationInjections", "workers the pool added because queued work made no progress (thread-pool groups)"),
        new("blockingInjections", "workers the pool added because a worker blocked in Task.Wait or .Result (thread-pool groups)"),
        new("workItems", "work items the pool completed during the recording, as its hill climbing counted them (thread-pool groups)"),
        new("cores", "processors of the machine"),
        new("runtimeThreads", "threads of the group that belong to the runtime itself (timer, finalizer, GC, tiering, socket engine, other .NET services)"),
        new("retryErrors", "failures that ask to try again: EAGAIN (non-blocking calls that would block) and EINTR"),
        new("siteShare", "share of the calls made from the call sites the rule names in callSite (any application call site when it names none); 0 without stacks"),
        new("emptyReturns", "successful calls that returned 0: a poll or wait with nothing ready, a read at end of file"),
        new("largeMaps", "memory-mapping calls (mmap, munmap, mprotect, madvise) that mapped, committed or released at least 1 MiB"),
        new("blockedMs", "time the group's calls spent waiting for something outside them (a lock, a timer, a peer), ms: latency, not CPU"),
        new("blockedCalls", "calls that waited so (longer than 50 µs in a call that waits: futex, sleeps, polls, accept, flock, wait4, reads of sockets and pipes)"),
        new("workMs", "time of the group's calls that was work rather than waiting, ms, as without the tool (totalMs - blockedMs)"),
        new("stackFrames", "mean user stack frames of the group's calls whose stack was walked (0 without stacks)"),
        new("stackedCalls", "calls of the group whose user stack was walked: all of them with --stacks all, the sampled ones by default"),
        new("socketCalls", "calls of the group made on sockets"),
        new("datagramCalls", "calls of the group made on UDP sockets, which move one datagram per call whatever the buffer"),
        new("exchanges", "request/response turns on the group's sockets: alternations between reading from a socket and writing to it, and datagrams received on UDP sockets"),
        new("requests", "requests the server handled during the recording (ASP.NET Core's hosting counters); 0 when the target reports none"),
        new("callsPerRequest", "socketCalls per request, or per exchange where the target reports no requests; 0 when neither is known"),
        new("sleeps", "calls that slept their full time: nanosleep, clock_nanosleep, and futex waits that timed out (how Thread.Sleep waits)"),
    ];

    public static readonly FrozenDictionary<string, string> All = Ordered.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>Labels a message template may use besides the metrics.</summary>
    public static readonly FrozenSet<string> Labels =
        new[] { "syscall", "path", "fd", "thread", "pid", "site", "lockSite", "topErrno", "endpoint", "perRequest" }.ToFrozenSet(StringComparer.Ordinal);
}
