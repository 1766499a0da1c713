using System.Text.Json;
using Advisor.Core.Aggregation;
using Advisor.Core.Findings;
using Advisor.Core.Monitoring;
using Advisor.Reports.Otlp;
using Advisor.Tests.Otlp;
using Advisor.UnitTests.Aggregation;
using OpenTelemetry.Exporter;

namespace Advisor.UnitTests.Reports.Otlp;

/// <summary>monitor's OTLP export, received on loopback OTLP/HTTP and decoded with the OTLP protobuf definitions.</summary>
[Collection(OtlpMeterCollection.Name)]
public sealed class MonitorOtlpTests : IDisposable
{
    private readonly OtlpReceiver _receiver = new();

    public void Dispose() => _receiver.Dispose();

    private static Finding Unbuffered(double savingMs) => new(
        "ADV002",
        "unbuffered-writes",
        Severity.Warning,
        "Unbuffered writes",
        "pwrite64 ×10 (16 B avg) on /a.log",
        new Evidence { Syscalls = ["pwrite64"], Count = 10, Path = "/a.log" },
        null,
        [new StackSample(10, ["System.IO.FileStream.Write", "Program.Main"])],
        savingMs,
        10,
        "",
        [new Advice("Wrap the stream in a BufferedStream.")])
    {
        Process = new ProcessRef(10, "app"),
    };

    private static SyscallSnapshot Interval(Action<SyscallStream> calls)
    {
        var stream = new SyscallStream().File(3, "/a.log");
        calls(stream);
        return stream.Aggregator.Snapshot(SyscallStream.OriginNs + (2 * SyscallStream.Second));
    }

    private static IntervalOutcome Outcome(SyscallSnapshot syscalls, Finding[] active, FindingTransition[] changes, double cpuSeconds, bool exited = false) =>
        new(10, "app", syscalls, active, changes, cpuSeconds, exited);

    private static FindingTransition Change(FindingChange change, Finding finding) =>
        new(change, finding, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch.AddSeconds(4));

    /// <summary>An hour's period: only Dispose's flush exports, so what is received is exactly one export of each signal.</summary>
    private MonitorOtlp Start() => MonitorOtlp.Start(new MonitorOtlpSettings(
        new OtlpEndpoint(new Uri(_receiver.Url), OtlpExportProtocol.HttpProtobuf), TimeSpan.FromHours(1), "9.8.7", f => f.Stacks.Count > 0 ? "Program.Main → FileStream.Write" : null, _ => { }));

    private ReceivedPoint Point(string name, params (string Key, object Value)[] attributes) =>
        _receiver.Points.Where(p => p.Name == name && attributes.All(a => Equals(p.Attribute(a.Key), a.Value))).ShouldHaveSingleItem();

    [Fact]
    public void The_Prometheus_series_arrive_as_cumulative_sums_and_gauges_with_the_same_names_and_labels()
    {
        using (var otlp = Start())
        {
            var finding = Unbuffered(500);
            otlp.Observe(Outcome(Interval(s => s.Repeat(300, 10, "pwrite64", 1_000, 16, arg0: 3)), [finding], [Change(FindingChange.Raised, finding)], 1.5));
            otlp.Observe(Outcome(Interval(s => s.Repeat(200, 10, "pwrite64", 1_000, 16, arg0: 3)), [finding], [], 2.0));
        }

        _receiver.Refused.ShouldBeEmpty();
        var calls = Point("dotnet_advisor_syscalls_total", ("pid", 10L), ("process", "app"), ("syscall", "pwrite64"));
        calls.Value.ShouldBe(500);
        calls.Metric.Sum.IsMonotonic.ShouldBeTrue();
        calls.Metric.Sum.AggregationTemporality.ShouldBe(AggregationTemporality.Cumulative);
        Point("dotnet_advisor_syscall_seconds_total", ("syscall", "pwrite64")).Value.ShouldBe(0.0005, 1e-9);
        Point("dotnet_advisor_syscall_seconds_total").Metric.Unit.ShouldBe("s");
        var active = Point("dotnet_advisor_findings", ("pid", 10L), ("process", "app"), ("rule", "ADV002"), ("severity", "warning"));
        active.Value.ShouldBe(1);
        active.Metric.DataCase.ShouldBe(Metric.DataOneofCase.Gauge);
        Point("dotnet_advisor_finding_saving_seconds", ("rule", "ADV002")).Value.ShouldBe(0.25, 1e-9); // 0.5 s over the 2 s interval
        Point("dotnet_advisor_lost_events_total", ("pid", 10L)).Value.ShouldBe(0);
        Point("dotnet_advisor_recorder_cpu_seconds_total", ("pid", 10L)).Value.ShouldBe(2.0);

        var resource = calls.Resource.Attributes.ToDictionary(a => a.Key, a => OtlpValues.Of(a.Value));
        resource["service.name"].ShouldBe("dotnet-advisor");
        resource["service.version"].ShouldBe("9.8.7");
        calls.Scope.Name.ShouldBe(MonitorOtlp.Scope);
    }

    [Fact]
    public void A_finding_raised_and_cleared_are_two_log_records_carrying_the_findings_JSON()
    {
        var finding = Unbuffered(500);
        using (var otlp = Start())
        {
            otlp.Observe(Outcome(Interval(s => s.Repeat(300, 10, "pwrite64", 1_000, 16, arg0: 3)), [finding], [Change(FindingChange.Raised, finding)], 1));
            otlp.Observe(Outcome(Interval(s => s.Repeat(3, 10, "pwrite64", 1_000, 16, arg0: 3)), [], [Change(FindingChange.Cleared, finding)], 1));
        }

        Point("dotnet_advisor_findings", ("rule", "ADV002")).Value.ShouldBe(0);
        var logs = _receiver.Logs;
        logs.Count.ShouldBe(2);
        var raised = logs.Where(l => Equals(l.Attribute("dotnet_advisor.event"), "raised")).ShouldHaveSingleItem();
        raised.Record.SeverityNumber.ShouldBe(SeverityNumber.Warn);
        raised.Record.Body.StringValue.ShouldBe("raised warning ADV002 unbuffered-writes pid 10 app: pwrite64 ×10 (16 B avg) on /a.log");
        raised.Attribute("rule").ShouldBe("ADV002");
        raised.Attribute("severity").ShouldBe("warning");
        raised.Attribute("pid").ShouldBe(10L);
        raised.Attribute("process").ShouldBe("app");
        raised.Attribute("message").ShouldBe(finding.Message);
        raised.Attribute("site").ShouldBe("Program.Main → FileStream.Write");
        raised.Attribute("advice").ShouldBe(new object[] { "Wrap the stream in a BufferedStream." });
        raised.Resource.Attributes.ShouldContain(a => a.Key == "service.name" && a.Value.StringValue == "dotnet-advisor");
        using (var json = JsonDocument.Parse((string)raised.Attribute("finding")!))
        {
            json.RootElement.GetProperty("ruleId").GetString().ShouldBe("ADV002");
            json.RootElement.GetProperty("severity").GetString().ShouldBe("warning");
            json.RootElement.GetProperty("evidence").GetProperty("path").GetString().ShouldBe("/a.log");
            json.RootElement.GetProperty("stacks")[0].GetProperty("frames")[1].GetString().ShouldBe("Program.Main");
        }

        var cleared = logs.Where(l => Equals(l.Attribute("dotnet_advisor.event"), "cleared")).ShouldHaveSingleItem();
        cleared.Record.SeverityNumber.ShouldBe(SeverityNumber.Info);
        cleared.Record.Body.StringValue.ShouldBe("cleared ADV002 unbuffered-writes pid 10 app after 4 s: last seen pwrite64 ×10 (16 B avg) on /a.log");
        cleared.Attribute("rule").ShouldBe("ADV002");
    }

    [Fact]
    public void A_collection_is_counted_and_logged()
    {
        using (var otlp = Start())
        {
            otlp.Collected(new Collection(10, "app", CollectionKind.Recording, "ADV002", ["/tmp/c/app-10.advisor"], DateTimeOffset.UnixEpoch));
        }

        Point("dotnet_advisor_collections_total", ("pid", 10L), ("kind", "recording"), ("trigger", "ADV002")).Value.ShouldBe(1);
        var log = _receiver.Logs.ShouldHaveSingleItem();
        log.Attribute("dotnet_advisor.event").ShouldBe("collected");
        log.Attribute("paths").ShouldBe(new object[] { "/tmp/c/app-10.advisor" });
    }

    [Fact]
    public void A_process_has_at_most_the_top_syscalls_as_attributes_and_the_rest_under_other()
    {
        string[] names = ["read", "write", "pread64", "pwrite64", "openat", "close", "fstat", "lseek", "mmap", "munmap", "brk", "ioctl", "access", "pipe2", "dup", "getpid",
            "socket", "connect", "accept", "sendto", "recvfrom", "futex", "madvise", "getuid"];
        using (var otlp = Start())
        {
            otlp.Observe(Outcome(
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
        }

        var syscalls = _receiver.Points.Where(p => p.Name == "dotnet_advisor_syscalls_total").Select(p => (string)p.Attribute("syscall")!).ToList();
        syscalls.Count.ShouldBe(ExportedSeries.TopSyscalls + 1);
        syscalls.ShouldContain("read");
        syscalls.ShouldNotContain("futex");
        Point("dotnet_advisor_syscalls_total", ("syscall", "other")).Value.ShouldBe(314); // the 4 least used: 80 + 79 + 78 + 77
    }

    [Fact]
    public void A_process_that_exited_is_exported_once_more_then_leaves_no_series_behind()
    {
        using var otlp = Start();
        otlp.Observe(Outcome(Interval(s => s.Repeat(300, 10, "pwrite64", 1_000, 16, arg0: 3)), [Unbuffered(500)], [], 1.5, exited: true));
        otlp.Flush();
        _receiver.WaitForMetricRequests(1);
        Point("dotnet_advisor_syscalls_total", ("pid", 10L)).Value.ShouldBe(300);

        otlp.Flush();
        _receiver.WaitForMetricRequests(2);

        var last = _receiver.MetricRequests[^1].ResourceMetrics.SelectMany(r => r.ScopeMetrics).SelectMany(s => s.Metrics)
            .SelectMany(m => m.DataCase == Metric.DataOneofCase.Sum ? m.Sum.DataPoints : m.Gauge.DataPoints);
        last.ShouldNotContain(p => p.Attributes.Any(a => a.Key == "pid"));
    }

    [Fact]
    public void Processes_that_came_and_went_by_the_thousand_do_not_push_a_new_ones_series_into_the_SDKs_overflow()
    {
        var stream = new SyscallStream();
        stream.Repeat(10, 10, "read", 1_000, 0);
        var calls = stream.Aggregator.Snapshot(SyscallStream.OriginNs + SyscallStream.Second);
        using (var otlp = Start())
        {
            for (var pid = 1; pid <= 2100; pid++) // past the SDK's default cardinality limit of 2000 attribute sets
            {
                otlp.Observe(new IntervalOutcome(pid, "short-lived", calls, [], [], 0, Exited: true));
                otlp.Flush();
            }

            otlp.Observe(new IntervalOutcome(9999, "app", calls, [], [], 0, Exited: false));
        }

        var syscalls = _receiver.Points.Where(p => p.Name == "dotnet_advisor_syscalls_total").ToList();
        syscalls.ShouldNotContain(p => p.Point.Attributes.Any(a => a.Key == "otel.metric.overflow"));
        var app = syscalls.Where(p => Equals(p.Attribute("pid"), 9999L)).ToList();
        app.ShouldNotBeEmpty();
        app.ShouldAllBe(p => p.Value == 10);
    }

    [Fact]
    public async Task Over_grpc_a_receiver_gets_the_series_and_the_finding_log_record()
    {
        var grpc = new OtlpGrpcReceiver();
        await using (grpc.ConfigureAwait(false))
        {
            var finding = Unbuffered(500);
            using (var otlp = MonitorOtlp.Start(new MonitorOtlpSettings(
                new OtlpEndpoint(new Uri(grpc.Url), OtlpExportProtocol.Grpc), TimeSpan.FromHours(1), "9.8.7", _ => null, _ => { })))
            {
                otlp.Observe(Outcome(Interval(s => s.Repeat(300, 10, "pwrite64", 1_000, 16, arg0: 3)), [finding], [Change(FindingChange.Raised, finding)], 1));
            }

            var metrics = grpc.MetricRequests.ShouldHaveSingleItem().ResourceMetrics.SelectMany(r => r.ScopeMetrics).SelectMany(s => s.Metrics).ToList();
            metrics.Single(m => m.Name == "dotnet_advisor_syscalls_total").Sum.DataPoints.ShouldHaveSingleItem().AsInt.ShouldBe(300);
            metrics.Single(m => m.Name == "dotnet_advisor_findings").Gauge.DataPoints.ShouldHaveSingleItem().AsInt.ShouldBe(1);
            var record = grpc.LogRequests.ShouldHaveSingleItem().ResourceLogs.SelectMany(r => r.ScopeLogs).SelectMany(s => s.LogRecords).ShouldHaveSingleItem();
            OtlpValues.Of(record.Attributes, "rule").ShouldBe("ADV002");
            OtlpValues.Of(record.Attributes, "dotnet_advisor.event").ShouldBe("raised");
        }
    }

    [Theory]
    [InlineData("http://127.0.0.1:4318", "http://127.0.0.1:4318/v1/metrics", "http://127.0.0.1:4318/v1/logs")]
    [InlineData("https://collector/otlp/", "https://collector/otlp/v1/metrics", "https://collector/otlp/v1/logs")]
    public void Over_http_protobuf_each_signal_posts_to_its_path_under_the_base_URL(string url, string metrics, string logs)
    {
        var endpoint = new OtlpEndpoint(new Uri(url), OtlpExportProtocol.HttpProtobuf);
        endpoint.Metrics.ShouldBe(new Uri(metrics));
        endpoint.Logs.ShouldBe(new Uri(logs));
    }

    [Fact]
    public void Over_grpc_the_URL_is_the_collectors_address_as_it_is()
    {
        var endpoint = new OtlpEndpoint(new Uri("http://127.0.0.1:4317"), OtlpExportProtocol.Grpc);
        endpoint.Metrics.ShouldBe(new Uri("http://127.0.0.1:4317"));
        endpoint.ProtocolName.ShouldBe("grpc");
    }
}
