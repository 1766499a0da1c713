using System.Collections.Concurrent;
using System.Diagnostics;
using Advisor.Core.Monitoring;
using Advisor.Reports.Otlp;
using Advisor.UnitTests.Aggregation;
using OpenTelemetry.Exporter;

namespace Advisor.UnitTests.Reports.Otlp;

/// <summary>
/// monitor's OTLP export against a collector that refuses or never answers, through the real SDK on loopback: the
/// failure is said once, with the endpoint and the error, and the recovery once, when a receiver takes the port.
/// </summary>
[Collection(OtlpMeterCollection.Name)]
public sealed class MonitorOtlpFailureTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    private readonly ConcurrentQueue<OtlpExportChange> _changes = new();

    /// <summary>An hour's period: only <see cref="MonitorOtlp.Flush"/> and Dispose export.</summary>
    private MonitorOtlp Start(string url) => MonitorOtlp.Start(new MonitorOtlpSettings(
        new OtlpEndpoint(new Uri(url), OtlpExportProtocol.HttpProtobuf), TimeSpan.FromHours(1), "9.8.7", _ => null, _changes.Enqueue));

    private static IntervalOutcome Writes(int calls)
    {
        var stream = new SyscallStream().File(3, "/a.log");
        stream.Repeat(calls, 10, "pwrite64", 1_000, 16, arg0: 3);
        return new IntervalOutcome(10, "app", stream.Aggregator.Snapshot(SyscallStream.OriginNs + SyscallStream.Second), [], [], 0, Exited: false);
    }

    private void Until(Func<IReadOnlyList<OtlpExportChange>, bool> seen, string failure)
    {
        var clock = Stopwatch.StartNew();
        while (!seen([.. _changes]))
        {
            clock.Elapsed.ShouldBeLessThan(Bound, $"{failure}; changes: {string.Join("; ", _changes)}");
            Thread.Sleep(20);
        }
    }

    [Fact]
    public void A_collector_that_refuses_is_said_once_and_its_recovery_once_with_the_exports_that_failed_meanwhile()
    {
        var port = OtlpReceiver.FreePort();
        var url = $"http://127.0.0.1:{port}";
        var metrics = $"{url}/v1/metrics";
        using var otlp = Start(url);

        otlp.Observe(Writes(300));
        otlp.Flush();
        Until(c => c.Count > 0, "the refused export was not said");
        otlp.Observe(Writes(200));
        otlp.Flush();
        otlp.Flush();
        var failing = _changes.ShouldHaveSingleItem().ShouldBeOfType<OtlpExportFailing>();
        failing.Endpoint.ShouldBe(metrics);
        failing.Error.ShouldStartWith("Connection refused");

        using var receiver = new OtlpReceiver(port);
        otlp.Observe(Writes(100));
        otlp.Flush();
        Until(c => c.Any(x => x is OtlpExportRecovered), "the recovery was not said");
        receiver.WaitForMetricRequests(1);

        _changes.Count.ShouldBe(2, string.Join("; ", _changes));
        var recovered = _changes.Last().ShouldBeOfType<OtlpExportRecovered>();
        recovered.Endpoint.ShouldBe(metrics);
        recovered.FailedExports.ShouldBeInRange(1, 3); // three flushes failed, but a flush can return on an export already under way
        // Counters are cumulative: what the failed exports carried arrives with the first that succeeds.
        var writes = receiver.Points.Where(p => p.Name == "dotnet_advisor_syscalls_total" && Equals(p.Attribute("syscall"), "pwrite64")).ToList();
        writes.ShouldNotBeEmpty();
        writes.ShouldAllBe(p => p.Value == 600);
    }

    [Fact]
    public async Task A_collector_that_never_answers_fails_the_export_at_the_timeout_and_is_said_once()
    {
        using var collector = new SilentCollector();
        using var otlp = Start(collector.Url);

        otlp.Observe(Writes(300));
        var flushing = Task.Run(otlp.Flush);
        Until(c => c.Count > 0, "the export that timed out was not said");

        var failing = _changes.ShouldHaveSingleItem().ShouldBeOfType<OtlpExportFailing>();
        failing.Endpoint.ShouldBe($"{collector.Url}/v1/metrics");
        failing.Error.ShouldBe("no answer in 5 s");
        collector.Accepted.ShouldBeGreaterThan(0);
        await flushing.WaitAsync(Bound); // the flush gave up too
    }
}
