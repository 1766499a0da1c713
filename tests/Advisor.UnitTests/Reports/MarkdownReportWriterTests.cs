using Advisor.Core.Findings;
using Advisor.Core.Reporting;
using Advisor.Reports.Markdown;

namespace Advisor.UnitTests.Reports;

/// <summary>The Markdown report: verdict first for hang triage, findings with stacks and fix, tables that stay tables.</summary>
public class MarkdownReportWriterTests
{
    private static readonly Finding Deadlock = new(
        "ADV016",
        "deadlock",
        Severity.Error,
        "Deadlock",
        "2 threads wait on each other: a (tid 1) holds Bank.Account and waits for Bank.Ledger",
        new Evidence { Syscalls = ["futex"], Count = 2, TotalTimeMs = 16_000, MaxMs = 8_000 },
        null,
        [new StackSample(1, ["System.Threading.Monitor.Enter", "Bank.TransferAtoB"])],
        16_000,
        2,
        "2 threads blocked 16.0 s in all, and counting",
        [new Advice("Take locks in one global order.", null, "lock (first) { lock (second) { } }")]);

    private static AdvisorReport Hang() => new(
        AdvisorReport.CurrentSchemaVersion,
        new ToolInfo("dotnet-advisor", "0.1.0"),
        new TargetInfo(4321, "Bank", "dotnet Bank.dll", "10.0.12", true),
        new SessionInfo("proc", 1.5, 0, 0, []),
        new ReportSummary([]),
        [
            new ThreadReport(1, "a|b", "user-named", 0, "blocked (S)", "futex", 8_000, ["System.Threading.Monitor.Enter"], "futex 0x10"),
            new ThreadReport(9, ".NET Finalizer", "finalizer", 0, "waking (S)"),
        ],
        [Deadlock],
        Hang: new HangReport("deadlock", Deadlock.Message, "Restart, then fix the lock order.", 1500));

    [Fact]
    public void A_hang_report_opens_with_the_verdict_and_the_next_step()
    {
        var md = MarkdownReportWriter.Render(Hang());

        md.ShouldStartWith("# dotnet-advisor hang: pid 4321 Bank (.NET 10.0.12)\n");
        md.IndexOf("**Verdict: deadlock**", StringComparison.Ordinal).ShouldBeLessThan(md.IndexOf("## Findings", StringComparison.Ordinal));
        md.ShouldContain("**Next step:** Restart, then fix the lock order.");
        md.ShouldContain("### ERROR ADV016 deadlock — Deadlock");
        md.ShouldContain("```\nSystem.Threading.Monitor.Enter\nBank.TransferAtoB\n```");
        md.ShouldContain("**Fix:** Take locks in one global order.");
        md.ShouldNotContain("Estimated saving");
    }

    [Fact]
    public void Only_blocked_or_running_threads_are_listed_and_cells_escape_pipes()
    {
        var md = MarkdownReportWriter.Render(Hang());

        md.ShouldContain("| 1 | a\\|b | user-named | blocked (S) | futex | 8.0 s | futex 0x10 | System.Threading.Monitor.Enter |");
        md.ShouldNotContain(".NET Finalizer");
    }

    [Fact]
    public void A_stalled_services_requests_are_a_table_after_the_findings()
    {
        var requests = new HangRequests(2, 1, 4_200, [
            new HangRequest(7, "GET", "/orders/17", "HTTP: GET /orders/{id:int}", "lambda_method1", "Task.Wait", 4_200),
            new HangRequest(8, "GET", "/orders/18", null, "Shop.Orders.Get", null, null),
        ]);

        var md = MarkdownReportWriter.Render(Hang() with { Hang = Hang().Hang! with { Requests = requests } });

        md.IndexOf("## Requests", StringComparison.Ordinal).ShouldBeGreaterThan(md.IndexOf("## Findings", StringComparison.Ordinal));
        md.ShouldContain("2 in flight, 1 blocked, the longest for 4.2 s.");
        md.ShouldContain("| 7 | GET /orders/17 | HTTP: GET /orders/{id:int} | Task.Wait | lambda_method1 | 4.2 s |");
        md.ShouldContain("| 8 | GET /orders/18 |  |  | Shop.Orders.Get |  |");
    }

    [Fact]
    public void A_recording_report_has_the_saving_and_the_syscall_table_and_no_thread_table()
    {
        var report = Hang() with
        {
            Hang = null,
            Session = new SessionInfo("perf", 3, 1000, 0, ["a note"]) { Observer = new ObserverCalls([new SyscallSummary("sendto", 751, 0, 3.1, 4_355_800)]) },
            Summary = new ReportSummary([new SyscallSummary("pwrite64", 1000, 0, 4.5, 16_000)]),
        };

        var md = MarkdownReportWriter.Render(report);

        md.ShouldStartWith("# dotnet-advisor: pid 4321 Bank");
        md.ShouldContain("Estimated saving: 16,000.0 ms (2 threads blocked 16.0 s in all, and counting).");
        md.ShouldContain("| pwrite64 | 1,000 | 0 | 4.5 | 16.0 KB |");
        md.ShouldContain("> note: a note");
        md.ShouldContain("> observer: 751 sendto, 4.4 MB to dotnet-advisor (its sessions; not in the counts, rules or gates)");
        md.ShouldNotContain("| sendto |");
        md.ShouldNotContain("## Threads");
    }
}
