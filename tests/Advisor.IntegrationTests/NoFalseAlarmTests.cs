using Advisor.IntegrationTests.Support;

namespace Advisor.IntegrationTests;

/// <summary>A noisy advisor is ignored: normal behaviour is not a finding.</summary>
public sealed class NoFalseAlarmTests
{
    [SkippableFact]
    public void A_clean_aspnet_service_under_moderate_loopback_load_yields_no_warning()
    {
        var traced = TracedSample.Run("CleanService", "--requests", "600", "--rate", "200");

        traced.Result.ExitCode.ShouldBe(0, traced.Result.Stderr);
        var warnings = traced.Report.Root.GetProperty("findings").EnumerateArray()
            .Where(f => f.GetProperty("severity").GetString() is "warning" or "error")
            .Select(f => f.GetProperty("message").GetString())
            .ToList();
        warnings.ShouldBeEmpty();
        // It did serve: the recording saw the traffic and the runtime's pool work (at least a work item a
        // request, as the pool's hill climbing counted them).
        traced.Report.SyscallCount("sendto").ShouldBeGreaterThan(600);
        traced.Report.Root.GetProperty("runtime").GetProperty("threadPool").GetProperty("workItems").GetInt64().ShouldBeGreaterThan(600);
    }

    [SkippableFact]
    public void An_idle_aspnet_service_yields_no_finding_at_all()
    {
        var traced = TracedSample.Run("CleanService", "--idle", "3");

        traced.Result.ExitCode.ShouldBe(0, traced.Result.Stderr);
        traced.Report.RuleIds.ShouldBeEmpty();
    }
}
