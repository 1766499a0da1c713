using Advisor.Core.Events;
using Advisor.Core.Reporting;
using Advisor.Core.Stacks;
using Advisor.Reports.Html;
using Advisor.UnitTests.Aggregation;

namespace Advisor.UnitTests.Reports;

/// <summary>The HTML report's two pictures: the flame graph's tree and the per-thread timeline.</summary>
public class HtmlReportTests
{
    [Fact]
    public void The_flame_graph_counts_each_stack_from_its_outermost_frame_down_to_the_syscall()
    {
        var s = new SyscallStream();
        s.Repeat(300, 12, "pwrite64", 1_000, 16, arg0: 3, stackId: 5);
        s.Repeat(100, 12, "getpid", 1_000, 12);
        var stacks = new CallStacks(new Dictionary<int, CallStack>
        {
            [5] = new([new StackFrame("System.IO.FileStream.Write", FrameKind.Framework), new StackFrame("App.Log", FrameKind.User)]),
        });

        var root = FlameGraph.Build(s.Snapshot() with { Stacks = stacks });

        root.Count.ShouldBe(400);
        root.Children.Select(c => (c.Name, c.Count)).ShouldBe([("App.Log", 300L), ("(stack not recorded)", 100L)]);
        root.Children.First().Children.Single().Children.Single().Name.ShouldBe("pwrite64");
    }

    [Fact]
    public void A_call_blocked_across_slices_fills_each_of_them()
    {
        var timeline = new ThreadTimeline(0, 1_000_000_000, slices: 10);
        timeline.OnSyscall(new SyscallEvent(1, 7, 0, 250_000_000, 500_000_000, 0, 0, 0, 0)); // 0.25 s to 0.75 s
        timeline.OnSyscall(new SyscallEvent(1, 8, 0, 0, 1_000, 0, 0, 0, 0));

        var (tid, calls, kernel) = timeline.Busiest(1).Single();

        tid.ShouldBeOneOf(7, 8);
        var blocked = timeline.Busiest(2).Single(t => t.Tid == 7);
        blocked.Calls.Sum().ShouldBe(1);
        blocked.KernelShare[2].ShouldBe(0.5, 1e-9);
        blocked.KernelShare[3..7].ShouldAllBe(x => Math.Abs(x - 1) < 1e-9);
        blocked.KernelShare[7].ShouldBe(0.5, 1e-9);
        blocked.KernelShare[8].ShouldBe(0);
    }

    [Fact]
    public void The_page_is_one_file_with_its_pictures_and_escapes_what_it_shows()
    {
        var report = new AdvisorReport(
            AdvisorReport.CurrentSchemaVersion, new ToolInfo("dotnet-advisor", "0.1.0"), new TargetInfo(1, "<app>", "app", null, false),
            new SessionInfo("perf", 1, 0, 0, []) { Observer = new ObserverCalls([new SyscallSummary("sendto", 3, 0, 0.1, 300)]) },
            new ReportSummary([]), [], []);

        var html = HtmlReportWriter.Render(report, FlameGraph.Build(new SyscallStream().Snapshot()), new ThreadTimeline(0, 1_000));

        html.ShouldStartWith("<!DOCTYPE html>");
        html.ShouldContain("&lt;app&gt;");
        html.ShouldNotContain("<app>");
        html.ShouldContain("<svg class=\"flame\"");
        html.ShouldContain("<svg class=\"timeline\"");
        html.ShouldContain("<p class=\"note\">observer: 3 sendto, 300 B to dotnet-advisor (its sessions; not in the counts, rules or gates)</p>");
    }
}
