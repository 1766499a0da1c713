using Advisor.Core.Aggregation;
using Advisor.Core.Monitoring;
using Advisor.UnitTests.Aggregation;

namespace Advisor.UnitTests.Monitoring;

/// <summary>What monitor's exporters send for an interval: bounded labels, and counts scaled when a window of it was recorded.</summary>
public class ExportedSeriesTests
{
    private static SyscallSnapshot Writes(int count)
    {
        var stream = new SyscallStream().File(3, "/a.log");
        stream.Repeat(count, 10, "pwrite64", 1_000, 16, arg0: 3);
        return stream.Aggregator.Snapshot(SyscallStream.OriginNs + (2 * SyscallStream.Second));
    }

    [Fact]
    public void A_window_of_a_fifth_of_the_interval_counts_five_times_its_calls_and_time()
    {
        var outcome = new IntervalOutcome(10, "app", Writes(300), [], [], 0, Exited: false, Coverage: 0.2);

        var (label, calls, seconds) = ExportedSeries.Syscalls(outcome, new HashSet<string>()).ShouldHaveSingleItem();

        (label, calls).ShouldBe(("pwrite64", 1_500L));
        seconds.ShouldBe(0.0015, tolerance: 1e-12);
    }

    [Fact]
    public void A_syscall_past_the_top_ones_goes_under_other()
    {
        var named = Enumerable.Range(0, ExportedSeries.TopSyscalls).Select(i => $"s{i}").ToHashSet();

        ExportedSeries.Syscalls(new IntervalOutcome(10, "app", Writes(3), [], [], 0, Exited: false), named).ShouldHaveSingleItem().Label.ShouldBe(ExportedSeries.Other);
        named.ShouldNotContain("pwrite64");
    }
}
