using Advisor.Cli.Output;
using Advisor.Core.Findings;
using Advisor.Core.Gates;
using Advisor.Core.Reporting;

namespace Advisor.UnitTests.Gates;

/// <summary>The CI gates over hand-built reports: what fails them, what does not, and how GitHub is told.</summary>
public class GateTests
{
    private static Finding Finding(string ruleId, Severity severity, string message = "pwrite64 ×50,000") => new(
        ruleId,
        ruleId == "ADV002" ? "unbuffered-writes" : "other",
        severity,
        "Title",
        message,
        new Evidence { Syscalls = ["pwrite64"], Count = 1 },
        null,
        [],
        1,
        1,
        "",
        []);

    private static AdvisorReport Report(IReadOnlyList<Finding>? findings = null, IReadOnlyList<CallSiteSummary>? sites = null, long pwrites = 50_000) => new(
        AdvisorReport.CurrentSchemaVersion,
        new ToolInfo("dotnet-advisor", "0.1.0"),
        new TargetInfo(1, "app", "app", "10.0.12", true),
        new SessionInfo("perf", 1, pwrites, 0, []),
        new ReportSummary([new SyscallSummary("pwrite64", pwrites, 0, 10, 16 * pwrites)], sites),
        [],
        findings ?? []);

    private static readonly CallSiteSummary Writes = new("pwrite64", "Program.WriteRecords → FileStream.Write", 50_000);

    [Theory]
    [InlineData(Severity.Warning, Severity.Warning, 1)]
    [InlineData(Severity.Warning, Severity.Info, 0)]
    [InlineData(Severity.Error, Severity.Warning, 0)]
    [InlineData(Severity.Info, Severity.Error, 1)]
    [InlineData(Severity.None, Severity.Error, 0)]
    public void Fail_on_counts_findings_at_or_above_the_severity(Severity threshold, Severity finding, int violations)
    {
        Gate.FailOn(Report([Finding("ADV002", finding)]), threshold).Count.ShouldBe(violations);
    }

    [Fact]
    public void A_budget_fails_on_each_limit_exceeded_and_only_those()
    {
        var budget = new Budget(
            new Dictionary<string, long> { ["pwrite64"] = 1_000, ["fsync"] = 0 },
            new Dictionary<string, long> { ["ADV002"] = 0, ["ADV006"] = 0 },
            [new CallSiteBudget("Program.WriteRecords", "pwrite64", 100), new CallSiteBudget("Program.WriteRecords", "read", 0)],
            "budget.yaml");

        var violations = Gate.Within(Report([Finding("ADV002", Severity.Warning)], [Writes]), budget);

        violations.Select(v => (v.Subject, v.Limit, v.Actual)).ShouldBe(
        [
            ("syscall pwrite64", "1,000", "50,000"),
            ("rule ADV002 findings", "0", "1"),
            ("pwrite64 from Program.WriteRecords", "100", "50,000"),
        ]);
    }

    [Fact]
    public void A_call_site_that_calls_much_more_than_in_the_baseline_is_a_regression_named_by_its_site()
    {
        var baseline = Report(sites: [Writes with { Count = 49 }]);

        var violation = Gate.AgainstBaseline(Report(sites: [Writes]), baseline, 0.10).ShouldHaveSingleItem();

        violation.Subject.ShouldBe("pwrite64 from Program.WriteRecords → FileStream.Write");
        violation.Limit.ShouldBe("49 +10 %");
        violation.Actual.ShouldBe("50,000 (+101,941 %)");
    }

    [Theory]
    [InlineData(1_000, 1_090, 0)] // +9 %: within 10 %
    [InlineData(1_000, 1_200, 1)] // +20 %
    [InlineData(10, 40, 0)]       // +300 %, but 30 calls: runtime noise, not a regression
    [InlineData(0, 51, 1)]        // a new call site past the floor
    public void Regressions_need_both_the_percentage_and_the_floor(long before, long after, int violations)
    {
        var baseline = Report(sites: before == 0 ? [] : [Writes with { Count = before }]);

        Gate.AgainstBaseline(Report(sites: [Writes with { Count = after }]), baseline, 0.10).Count.ShouldBe(violations);
    }

    [Theory]
    [InlineData("sched_yield")]
    [InlineData("futex")]
    [InlineData("epoll_wait")]
    [InlineData("clock_nanosleep")]
    public void Waits_and_yields_whose_counts_follow_the_machine_s_timing_are_no_regression(string syscall)
    {
        var baseline = Report(sites: [Writes with { Syscall = syscall, Count = 1 }]);

        Gate.AgainstBaseline(Report(sites: [Writes with { Syscall = syscall, Count = 546 }]), baseline, 0.10).ShouldBeEmpty();
        Gate.AgainstBaseline(Report(sites: [Writes with { Count = 546 }]), Report(sites: [Writes with { Count = 1 }]), 0.10).ShouldHaveSingleItem();
    }

    [Fact]
    public void On_GitHub_findings_and_failures_become_workflow_commands_with_escaping()
    {
        var report = Report([Finding("ADV002", Severity.Warning, "50% of writes\nare small"), Finding("ADV009", Severity.Info)]);
        var output = new StringWriter();

        GateOutput.Annotate(report, [new GateViolation("budget", "syscall pwrite64", "1,000", "50,000")], output);

        output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).ShouldBe(
        [
            "::warning title=ADV002 unbuffered-writes::50%25 of writes%0Aare small",
            "::error title=dotnet-advisor budget gate::syscall pwrite64: 50,000 (limit 1,000)",
        ]);
    }
}
