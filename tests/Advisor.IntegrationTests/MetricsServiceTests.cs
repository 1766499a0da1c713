using Advisor.IntegrationTests.Support;

namespace Advisor.IntegrationTests;

/// <summary>
/// A service that sends each StatsD metric as its own UDP datagram (samples/MetricsService). Which rules it
/// triggers, and that its fixed twin triggers none, is <see cref="RuleMatrixTests"/>'s; here, what the
/// finding says about the socket.
/// </summary>
public sealed class MetricsServiceTests
{
    [SkippableFact]
    public void One_datagram_per_metric_is_reported_on_the_udp_socket_with_every_datagram_counted_and_client_side_aggregation_advised()
    {
        var traced = TracedSample.Run("MetricsService", "--requests", "2000");

        traced.Result.ExitCode.ShouldBe(0, traced.Result.Stderr);
        var finding = traced.Report.Findings("ADV002").ShouldHaveSingleItem();
        var evidence = finding.GetProperty("evidence");
        var message = finding.GetProperty("message").GetString()!;
        evidence.GetProperty("path").GetString()!.ShouldStartWith("udp", customMessage: message);
        // Every sendto the metrics code made, and nothing else on that socket (the sink's are on its own).
        evidence.GetProperty("count").GetInt64().ShouldBe(traced.Summary.Number("datagrams_sent"), message);
        // A server: the calls are weighed per request, from the hosting counters.
        message.ShouldContain("per request");
        finding.GetProperty("advice")[0].GetProperty("text").GetString()!.ShouldContain("aggregate on the client");
    }
}
