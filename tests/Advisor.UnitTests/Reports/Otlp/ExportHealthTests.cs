using Advisor.Reports.Otlp;

namespace Advisor.UnitTests.Reports.Otlp;

/// <summary>Whether OTLP exports fail, told once when they start failing and once when they recover.</summary>
public sealed class ExportHealthTests
{
    private const string Metrics = "http://collector:4318/v1/metrics";
    private const string Logs = "http://collector:4318/v1/logs";

    private readonly List<OtlpExportChange> _changes = [];
    private readonly ManualTime _time = new();

    private ExportHealth Health() => new(_changes.Add, _time);

    [Fact]
    public void A_run_of_failures_is_one_failing_change_and_the_first_success_one_recovered_change_counting_them()
    {
        var health = Health();

        health.Failed(Metrics, "Connection refused (collector:4318)");
        for (var i = 0; i < 9; i++)
        {
            _time.Now += TimeSpan.FromSeconds(10);
            health.Failed(Metrics, "Connection refused (collector:4318)");
        }

        _changes.ShouldHaveSingleItem().ShouldBe(new OtlpExportFailing(Metrics, "Connection refused (collector:4318)", ManualTime.Start));
        _time.Now += TimeSpan.FromSeconds(10);
        health.Succeeded(Metrics);
        health.Succeeded(Metrics);

        _changes.Count.ShouldBe(2);
        _changes[1].ShouldBe(new OtlpExportRecovered(Metrics, 10, TimeSpan.FromSeconds(100), ManualTime.Start.AddSeconds(100)));
    }

    [Fact]
    public void Exports_that_succeed_say_nothing()
    {
        var health = Health();

        health.Succeeded(Metrics);
        health.Succeeded(Logs);

        _changes.ShouldBeEmpty();
    }

    [Fact]
    public void Each_endpoint_fails_and_recovers_on_its_own()
    {
        var health = Health();

        health.Failed(Metrics, "refused");
        health.Failed(Logs, "refused");
        health.Succeeded(Metrics); // the metrics come back; the logs have not been exported since
        health.Failed(Logs, "refused");

        _changes.Select(c => (c.GetType().Name, c.Endpoint)).ShouldBe(
            [(nameof(OtlpExportFailing), Metrics), (nameof(OtlpExportFailing), Logs), (nameof(OtlpExportRecovered), Metrics)]);
        health.Succeeded(Logs);
        _changes[^1].ShouldBeOfType<OtlpExportRecovered>().FailedExports.ShouldBe(2);
    }

    [Fact]
    public void An_endpoint_that_fails_again_after_recovering_is_told_again()
    {
        var health = Health();

        health.Failed(Metrics, "refused");
        health.Succeeded(Metrics);
        health.Failed(Metrics, "no answer in 5 s");

        _changes.Count.ShouldBe(3);
        _changes[2].ShouldBeOfType<OtlpExportFailing>().Error.ShouldBe("no answer in 5 s");
    }

    /// <summary>A clock the test moves.</summary>
    private sealed class ManualTime : TimeProvider
    {
        public static readonly DateTimeOffset Start = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);

        public DateTimeOffset Now { get; set; } = Start;

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
