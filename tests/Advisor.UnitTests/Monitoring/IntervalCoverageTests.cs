using Advisor.Cli.Sessions;

namespace Advisor.UnitTests.Monitoring;

/// <summary>The share of an interval a watch recorded, by which the exported counters are scaled to the interval.</summary>
public class IntervalCoverageTests
{
    [Fact]
    public void A_window_that_ended_on_time_covers_its_share_of_the_interval() =>
        ProcessWatch.Coverage(1.0, TimeSpan.FromSeconds(10)).ShouldBe(0.1, 1e-9);

    [Fact]
    public void An_interval_a_stop_ended_was_recorded_throughout_and_is_not_scaled_up()
    {
        // Stopped 0.4 s into a window: the interval lasted 0.4 s, all of it recorded. Scaled as a tenth of a 10 s
        // interval it would export 25 times the calls made.
        ProcessWatch.Coverage(0.4, interval: null).ShouldBe(1);
    }

    [Fact]
    public void The_share_stays_within_bounds()
    {
        ProcessWatch.Coverage(12, TimeSpan.FromSeconds(10)).ShouldBe(1);
        ProcessWatch.Coverage(0, TimeSpan.FromSeconds(10)).ShouldBe(1e-3);
    }
}
