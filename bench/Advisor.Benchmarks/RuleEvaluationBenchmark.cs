using System.Globalization;
using Advisor.Core.Aggregation;
using Advisor.Core.Events;
using Advisor.Core.Findings;
using Advisor.Core.Rules;
using Advisor.Core.Targets;
using BenchmarkDotNet.Attributes;

namespace Advisor.Benchmarks;

/// <summary>
/// <see cref="RuleEngine.Run"/> with the built-in catalogue over the snapshot of a busy service: thread-pool
/// workers talking to sockets and files, unbuffered log writers (ADV002 fires), a journal with an fsync per
/// record (ADV006 fires) and assorted runtime threads. <see cref="Scale"/> 1 gives a few hundred aggregation
/// keys (the realistic case), 10 ten times as many threads, fds and keys, to show how evaluation scales.
/// </summary>
[MemoryDiagnoser]
public class RuleEvaluationBenchmark
{
    private const int Pid = 7000;
    private const long Origin = 5_000_000_000_000L;
    private const long Seconds = 10;

    private RuleCatalog _catalog = null!;
    private AggregateSnapshot _snapshot = null!;

    [Params(1, 10)]
    public int Scale { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _catalog = RuleCatalog.BuiltIn();
        _snapshot = BuildSnapshot(Scale);
        var findings = RuleEngine.Run(_catalog, _snapshot);
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"// snapshot: {_snapshot.Rows.Count} rows (keys), {_snapshot.Fds.Count} fd slots, {_snapshot.Threads.Count} threads, {_snapshot.EventsTotal:N0} events; {_catalog.Rules.Count} rules; findings: {string.Join(", ", findings.Select(f => f.RuleId))}"));
    }

    [Benchmark]
    public IReadOnlyList<Finding> Run() => RuleEngine.Run(_catalog, _snapshot);

    private static AggregateSnapshot BuildSnapshot(int scale)
    {
        var introspector = new NamedIntrospector();
        var aggregator = new SyscallAggregator(SyntheticStorm.Catalog(), introspector, Origin);
        var calls = new List<(int Tid, string Syscall, int Fd, long DurationNs, long Ret, int Repeat)>();
        var nextTid = Pid + 1;
        var nextFd = 20;

        // Thread-pool workers: epoll, futex, a few sockets each, a file read now and then, memory management.
        for (var w = 0; w < 24 * scale; w++)
        {
            var tid = nextTid++;
            introspector.Threads[tid] = ".NET TP Worker";
            calls.Add((tid, "futex", -1, 20_000, 0, 400));
            calls.Add((tid, "futex", -1, 1_000_000, -110, 20));
            calls.Add((tid, "epoll_wait", 19, 500_000, 1, 300));
            calls.Add((tid, "mmap", -1, 3_000, 0x7f00_0000_0000, 10));
            calls.Add((tid, "madvise", -1, 2_000, 0, 10));
            calls.Add((tid, "sched_yield", -1, 500, 0, 50));
            for (var s = 0; s < 3; s++)
            {
                var fd = nextFd++;
                introspector.Fds[fd] = string.Create(CultureInfo.InvariantCulture, $"tcp 10.0.0.5:8080 -> 10.0.{w % 250}.{s + 10}:{40000 + fd}");
                calls.Add((tid, "recvfrom", fd, 4_000, 512, 200));
                calls.Add((tid, "recvfrom", fd, 1_000, -11, 50));
                calls.Add((tid, "sendto", fd, 6_000, 1400, 200));
            }

            var file = nextFd++;
            introspector.Fds[file] = string.Create(CultureInfo.InvariantCulture, $"/srv/app/data/blob-{w}.bin");
            calls.Add((tid, "openat", -1, 8_000, file, 5));
            calls.Add((tid, "fstat", file, 1_000, 0, 5));
            calls.Add((tid, "read", file, 20_000, 65536, 40));
        }

        // Unbuffered log writers: long runs of 40-byte writes, one file each.
        for (var l = 0; l < 6 * scale; l++)
        {
            var tid = nextTid++;
            var fd = nextFd++;
            introspector.Threads[tid] = string.Create(CultureInfo.InvariantCulture, $"logger-{l}");
            introspector.Fds[fd] = string.Create(CultureInfo.InvariantCulture, $"/var/log/app/app-{l}.log");
            calls.Add((tid, "write", fd, 5_000, 40, 30_000));
            calls.Add((tid, "futex", -1, 50_000, 0, 100));
            calls.Add((tid, "lseek", fd, 800, 0, 10));
        }

        // A journal that syncs every record.
        for (var j = 0; j < 2 * scale; j++)
        {
            var tid = nextTid++;
            var fd = nextFd++;
            introspector.Threads[tid] = string.Create(CultureInfo.InvariantCulture, $"journal-{j}");
            introspector.Fds[fd] = string.Create(CultureInfo.InvariantCulture, $"/var/lib/app/journal-{j}.wal");
            for (var r = 0; r < 500; r++)
            {
                calls.Add((tid, "pwrite64", fd, 4_000, 128, 1));
                calls.Add((tid, "fsync", fd, 900_000, 0, 1));
            }
        }

        // Runtime and other threads.
        for (var o = 0; o < 16 * scale; o++)
        {
            var tid = nextTid++;
            introspector.Threads[tid] = (o % 4) switch { 0 => ".NET Timer", 1 => ".NET Finalizer", 2 => ".NET Sockets", _ => ".NET BGC" };
            calls.Add((tid, "futex", -1, 2_000_000, 0, 60));
            calls.Add((tid, "nanosleep", -1, 10_000_000, 0, 20));
            calls.Add((tid, "poll", -1, 1_000_000, 0, 20));
        }

        // Interleave the calls over the recording like a real one: round-robin over the call kinds.
        var total = calls.Sum(c => (long)c.Repeat);
        var step = Seconds * 1_000_000_000L / total;
        var left = calls.Select(c => c.Repeat).ToArray();
        var time = Origin;
        for (var remaining = total; remaining > 0;)
        {
            for (var i = 0; i < calls.Count; i++)
            {
                if (left[i] == 0)
                {
                    continue;
                }

                left[i]--;
                remaining--;
                var c = calls[i];
                var nr = SyntheticStorm.Nr(c.Syscall);
                aggregator.OnSyscall(new SyscallEvent(Pid, c.Tid, nr, time, c.DurationNs, c.Ret, c.Fd < 0 ? 0xFFFF_FFFF_FFFF_FFFFUL : (ulong)c.Fd, 0, 0));
                time += step;
            }
        }

        return new AggregateSnapshot(aggregator.Snapshot(Origin + (Seconds * 1_000_000_000L)));
    }

    /// <summary>Fd descriptions and thread names from tables filled while the snapshot is built.</summary>
    private sealed class NamedIntrospector : ITargetIntrospector
    {
        public Dictionary<int, string> Fds { get; } = [];

        public Dictionary<int, string> Threads { get; } = [];

        public string? DescribeFd(int pid, int fd) => Fds.GetValueOrDefault(fd);

        public string? ThreadName(int pid, int tid) => tid == pid ? "ServiceHost" : Threads.GetValueOrDefault(tid);
    }
}
