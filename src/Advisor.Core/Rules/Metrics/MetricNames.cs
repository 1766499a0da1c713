using System.Collections.Frozen;

namespace Advisor.Core.Rules.Metrics;

/// <summary>
/// The metrics a rule's expressions may use, with their meaning; the rule loader rejects any other name,
/// and `rules explain` and docs/rules.md print this list.
/// </summary>
public static class MetricNames
{
    public static readonly FrozenDictionary<string, string> All = new Dictionary<string, string>
    {
        ["count"] = "calls in the group",
        ["errors"] = "calls that failed",
        ["errorRate"] = "errors / count",
        ["bytes"] = "bytes moved by the successful calls",
        ["avgBytes"] = "bytes / successful calls",
        ["totalMs"] = "time spent in the calls, ms",
        ["avgUs"] = "mean time per call, µs",
        ["p50Us"] = "median time per call, µs",
        ["p90Us"] = "90th percentile time per call, µs",
        ["p99Us"] = "99th percentile time per call, µs",
        ["maxMs"] = "longest call, ms",
        ["rate"] = "calls per second of recording",
        ["durationSeconds"] = "length of the recording, s",
        ["wallShare"] = "time in the calls / length of the recording (above 1 when several threads)",
        ["callShare"] = "count / all calls recorded",
        ["threads"] = "distinct threads making the calls",
        ["fds"] = "distinct fds the calls used",
        ["avgWriteRun"] = "mean length of runs of writes to the fd with no read between (fd groups)",
        ["longestWriteRun"] = "longest such run of writes (fd groups)",
        ["avgReadRun"] = "mean length of runs of reads from the fd with no write between (fd groups)",
        ["longestReadRun"] = "longest such run of reads (fd groups)",
        ["fdWrites"] = "write-family calls on the fd, whatever the rule's syscalls (fd groups)",
        ["fdWriteBytes"] = "bytes written to the fd (fd groups)",
        ["fdReads"] = "read-family calls on the fd (fd groups)",
        ["fdReadBytes"] = "bytes read from the fd (fd groups)",
        ["fdSyncs"] = "fsync-family calls on the fd (fd groups)",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>Labels a message template may use besides the metrics.</summary>
    public static readonly FrozenSet<string> Labels =
        new[] { "syscall", "path", "fd", "thread", "pid", "site" }.ToFrozenSet(StringComparer.Ordinal);
}
