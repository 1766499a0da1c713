using System.Net;
using System.Net.Sockets;
using Advisor.Core.Aggregation;
using Advisor.Core.Findings;
using Advisor.Core.Monitoring;
using Advisor.Reports.Prometheus;
using Advisor.UnitTests.Aggregation;

namespace Advisor.UnitTests.Reports;

/// <summary>monitor's Prometheus endpoint, scraped over loopback as Prometheus would.</summary>
public sealed class MonitorMetricsTests : IDisposable
{
    private readonly HttpClient _http = new();

    public void Dispose() => _http.Dispose();

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    private static Finding Unbuffered(double savingMs) => new(
        "ADV002", "unbuffered-writes", Severity.Warning, "t", "m", new Evidence { Syscalls = ["pwrite64"], Count = 10, Path = "/a.log" }, null, [], savingMs, 10, "", [])
    {
        Process = new ProcessRef(10, "app"),
    };

    private static SyscallSnapshot Interval(Action<SyscallStream> calls)
    {
        var stream = new SyscallStream().File(3, "/a.log");
        calls(stream);
        return stream.Aggregator.Snapshot(SyscallStream.OriginNs + (2 * SyscallStream.Second));
    }

    private static IntervalOutcome Outcome(SyscallSnapshot syscalls, Finding[] active, Finding[] cleared, double cpuSeconds, bool exited = false) => new(
        10,
        "app",
        syscalls,
        active,
        [.. cleared.Select(f => new FindingTransition(FindingChange.Cleared, f, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch))],
        cpuSeconds,
        exited);

    private async Task<string[]> Scrape(int port) =>
        (await _http.GetStringAsync(new Uri($"http://127.0.0.1:{port}/metrics"))).Split('\n').Where(l => l.Length > 0 && !l.StartsWith('#')).ToArray();

    [Fact]
    public async Task Counters_add_up_over_intervals_and_a_finding_is_1_while_active_and_0_once_cleared()
    {
        var port = FreePort();
        using var metrics = MonitorMetrics.Serve("127.0.0.1", port);

        metrics.Observe(Outcome(Interval(s => s.Repeat(300, 10, "pwrite64", 1_000, 16, arg0: 3)), [Unbuffered(500)], [], 1.5));
        metrics.Observe(Outcome(Interval(s => s.Repeat(200, 10, "pwrite64", 1_000, 16, arg0: 3)), [], [Unbuffered(400)], 2.0));
        var lines = await Scrape(port);

        lines.ShouldContain("dotnet_advisor_syscalls_total{pid=\"10\",process=\"app\",syscall=\"pwrite64\"} 500");
        lines.ShouldContain("dotnet_advisor_syscall_seconds_total{pid=\"10\",process=\"app\",syscall=\"pwrite64\"} 0.0005");
        lines.ShouldContain("dotnet_advisor_findings{pid=\"10\",process=\"app\",rule=\"ADV002\",severity=\"warning\"} 0");
        lines.ShouldContain("dotnet_advisor_finding_saving_seconds{pid=\"10\",process=\"app\",rule=\"ADV002\"} 0");
        lines.ShouldContain("dotnet_advisor_recorder_cpu_seconds_total{pid=\"10\",process=\"app\"} 2");
        lines.ShouldContain("dotnet_advisor_lost_events_total{pid=\"10\",process=\"app\"} 0");
    }

    [Fact]
    public async Task An_active_findings_saving_is_per_second_of_the_interval()
    {
        var port = FreePort();
        using var metrics = MonitorMetrics.Serve("127.0.0.1", port);

        metrics.Observe(Outcome(Interval(s => s.Repeat(10, 10, "pwrite64", 1_000, 16, arg0: 3)), [Unbuffered(500)], [], 0));

        (await Scrape(port)).ShouldContain("dotnet_advisor_finding_saving_seconds{pid=\"10\",process=\"app\",rule=\"ADV002\"} 0.25"); // 0.5 s over 2 s
    }

    [Fact]
    public async Task A_process_has_at_most_the_top_syscalls_as_labels_and_the_rest_under_other()
    {
        var port = FreePort();
        using var metrics = MonitorMetrics.Serve("127.0.0.1", port);
        string[] names = ["read", "write", "pread64", "pwrite64", "openat", "close", "fstat", "lseek", "mmap", "munmap", "brk", "ioctl", "access", "pipe2", "dup", "getpid",
            "socket", "connect", "accept", "sendto", "recvfrom", "futex", "madvise", "getuid"];

        metrics.Observe(Outcome(
            Interval(s =>
            {
                for (var i = 0; i < names.Length; i++)
                {
                    s.Repeat(100 - i, 10, names[i], 1_000, 0);
                }
            }),
            [],
            [],
            0));
        var syscalls = (await Scrape(port)).Where(l => l.StartsWith("dotnet_advisor_syscalls_total", StringComparison.Ordinal)).ToList();

        syscalls.Count.ShouldBe(ExportedSeries.TopSyscalls + 1);
        syscalls.ShouldContain("dotnet_advisor_syscalls_total{pid=\"10\",process=\"app\",syscall=\"other\"} 314"); // the 4 least used: 80 + 79 + 78 + 77
    }

    [Fact]
    public async Task A_process_that_exited_leaves_no_series_behind()
    {
        var port = FreePort();
        using var metrics = MonitorMetrics.Serve("127.0.0.1", port);

        metrics.Observe(Outcome(Interval(s => s.Repeat(300, 10, "pwrite64", 1_000, 16, arg0: 3)), [Unbuffered(500)], [], 1.5));
        (await Scrape(port)).ShouldContain(l => l.Contains("pid=\"10\"", StringComparison.Ordinal));
        metrics.Observe(Outcome(Interval(s => s.Repeat(10, 10, "pwrite64", 1_000, 16, arg0: 3)), [], [Unbuffered(400)], 2.0, exited: true));

        (await Scrape(port)).ShouldNotContain(l => l.Contains("pid=\"10\"", StringComparison.Ordinal));
    }

    /// <summary>
    /// Prometheus that never scrapes: the registry holds one value per series, not samples waiting to be read, so what
    /// must not grow is the set of series. After a thousand processes came and went and one was judged a thousand
    /// times, its syscalls changing and its finding raised and cleared, the first scrape finds that one's series alone.
    /// </summary>
    [Fact]
    public async Task Series_do_not_pile_up_while_nobody_scrapes()
    {
        var port = FreePort();
        using var metrics = MonitorMetrics.Serve("127.0.0.1", port);
        string[] names = ["read", "write", "pread64", "pwrite64", "openat", "close", "fstat", "lseek", "mmap", "munmap", "brk", "ioctl", "access", "pipe2", "dup",
            "getpid", "socket", "connect", "accept", "sendto", "recvfrom", "futex", "madvise", "getuid", "fsync", "fdatasync", "statx", "poll", "epoll_wait", "writev"];

        for (var pid = 100; pid < 1100; pid++)
        {
            var calls = Interval(s => s.Repeat(10, 10, names[pid % 30], 1_000, 16, arg0: 3));
            metrics.Observe(new IntervalOutcome(pid, "short-lived", calls, [Unbuffered(500)], [], 0.1, false));
            metrics.Observe(new IntervalOutcome(
                pid, "short-lived", calls, [], [new FindingTransition(FindingChange.Cleared, Unbuffered(500), DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch)], 0.2, true));
        }

        for (var i = 0; i < 1000; i++)
        {
            var calls = Interval(s => s.Repeat(10, 10, names[i % 30], 1_000, 16, arg0: 3));
            metrics.Observe(i % 2 == 0 ? Outcome(calls, [Unbuffered(500)], [], i) : Outcome(calls, [], [Unbuffered(500)], i));
        }

        var lines = await Scrape(port);

        lines.ShouldAllBe(l => l.Contains("pid=\"10\"", StringComparison.Ordinal));
        // Calls and seconds for the first named syscalls and "other"; the finding and its saving; lost events; CPU.
        lines.Length.ShouldBe((2 * (ExportedSeries.TopSyscalls + 1)) + 4, string.Join('\n', lines));
    }

    [Fact]
    public async Task A_collection_is_counted_by_kind_and_trigger()
    {
        var port = FreePort();
        using var metrics = MonitorMetrics.Serve("127.0.0.1", port);

        metrics.Collected(new Collection(10, "app", CollectionKind.Hang, "hang", ["/c/a.json", "/c/a.md"], DateTimeOffset.UnixEpoch));

        (await Scrape(port)).ShouldContain("dotnet_advisor_collections_total{pid=\"10\",process=\"app\",kind=\"hang\",trigger=\"hang\"} 1");
    }

    [Fact]
    public void A_port_in_use_cannot_be_served()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();

        Should.Throw<HttpListenerException>(() => MonitorMetrics.Serve("127.0.0.1", ((IPEndPoint)taken.LocalEndpoint).Port));
    }
}
