using Advisor.Core.Findings;
using Advisor.Core.Monitoring;
using Advisor.Core.Reporting;

namespace Advisor.UnitTests.Monitoring;

/// <summary>A suspected hang is saved only when the triage names one: a hang verdict backed by its finding.</summary>
public class TriageVerdictTests
{
    private static Finding Finding(string rule) => new(rule, "name", Severity.Error, "title", "message", new Evidence { Syscalls = ["futex"], Count = 2 }, null, [], 1, 0, "", []);

    private static AdvisorReport Triage(string verdict, params Finding[] findings) => new(
        AdvisorReport.CurrentSchemaVersion,
        new ToolInfo("dotnet-advisor", "1"),
        new TargetInfo(1, "app", "app", "10.0", true),
        new SessionInfo("proc", 1.5, 0, 0, []),
        new ReportSummary([]),
        [],
        findings,
        Hang: new HangReport(verdict, "summary", "next", 1500));

    [Fact]
    public void A_deadlock_with_its_finding_is_a_hang()
    {
        var report = Triage("deadlock", Finding("ADV016"));

        TriageVerdict.IsHang(report).ShouldBeTrue();
        TriageVerdict.Describe(report).ShouldBe("ADV016 deadlock");
    }

    [Theory]
    [InlineData("idle")]
    [InlineData("busy")]
    public void Idle_and_busy_are_not(string verdict)
    {
        var report = Triage(verdict);

        TriageVerdict.IsHang(report).ShouldBeFalse();
        TriageVerdict.Describe(report).ShouldBe($"not hung: {verdict}");
    }

    [Fact]
    public void A_hang_verdict_without_a_finding_is_not_saved() =>
        TriageVerdict.IsHang(Triage("blocked-on-io")).ShouldBeFalse(); // its rule turned off by configuration
}
