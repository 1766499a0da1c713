using Advisor.IntegrationTests.Support;

namespace Advisor.IntegrationTests;

/// <summary>
/// Real logging libraries configured the costly way (samples/Logging). Which rule each triggers, and that
/// each fixed twin triggers none, is <see cref="RuleMatrixTests"/>'s; here, that the finding is on the log
/// file, names the sample's own method, counts the events and gives the library's own advice.
/// </summary>
public sealed class LoggingTests
{
    [SkippableFact]
    public void NLog_reopening_its_file_per_event_is_open_close_churn_on_the_log_with_nearly_every_open_counted_and_keepFileOpen_advised()
    {
        var traced = TracedSample.Run("Logging", "--library", "nlog");

        traced.Result.ExitCode.ShouldBe(0, traced.Result.Stderr);
        var finding = traced.Report.Findings("ADV007").ShouldHaveSingleItem();
        var message = finding.GetProperty("message").GetString()!;
        var evidence = finding.GetProperty("evidence");
        evidence.GetProperty("path").GetString().ShouldBe(traced.Summary.Path, message);
        message.ShouldContain("Logging.NLogOrders.Run");
        finding.GetProperty("advice")[0].GetProperty("text").GetString()!.ShouldContain("keepFileOpen");
        // The closes on the log, one per open: NLog opens it once per event. A few may be lost to an fd closed
        // before the recorder could name it, but not more than a tenth.
        var events = traced.Summary.Number("events");
        evidence.GetProperty("count").GetInt64().ShouldBeGreaterThanOrEqualTo(events * 9 / 10, $"{events} events: {message}");
    }

    [SkippableFact]
    public void Serilog_flushing_per_event_is_unbuffered_writes_on_the_log_one_per_event_with_buffered_advised()
    {
        var traced = TracedSample.Run("Logging", "--library", "serilog");

        traced.Result.ExitCode.ShouldBe(0, traced.Result.Stderr);
        var finding = traced.Report.Findings("ADV002").ShouldHaveSingleItem();
        var message = finding.GetProperty("message").GetString()!;
        var evidence = finding.GetProperty("evidence");
        evidence.GetProperty("path").GetString().ShouldBe(traced.Summary.Path, message);
        message.ShouldContain("Logging.SerilogOrders.Run");
        finding.GetProperty("advice")[0].GetProperty("text").GetString()!.ShouldContain("buffered");
        // One pwrite64 per event, exactly (the file is opened once).
        evidence.GetProperty("count").GetInt64().ShouldBe(traced.Summary.Number("events"), message);
    }
}
