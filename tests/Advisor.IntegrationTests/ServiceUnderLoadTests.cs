using System.Globalization;
using Advisor.IntegrationTests.Support;

namespace Advisor.IntegrationTests;

/// <summary>
/// A well-behaved web service, already running and serving an outside load (wrk), recorded with `profile -p`:
/// tens of thousands of small socket reads and writes a second are a server doing its job, not a finding.
/// </summary>
public sealed class ServiceUnderLoadTests
{
    [SkippableFact]
    public void A_clean_service_profiled_while_wrk_loads_it_yields_no_warning()
    {
        Privileges.RequireTracing();
        var dir = Directory.CreateTempSubdirectory("advisor-it-");
        var report = Path.Combine(dir.FullName, "report.json");
        try
        {
            // Record 5 s inside 8 s of load.
            using var service = LoadedCleanService.Start(idleSeconds: 40, loadSeconds: 8);
            var profile = ProcessRunner.Run(
                RepoLayout.Tool, ["profile", "-p", service.Pid.ToString(CultureInfo.InvariantCulture), "--duration", "5s", "-q", "-o", report], TimeSpan.FromMinutes(2));
            service.LoadServedEverything();

            profile.ExitCode.ShouldBe(0, profile.Stderr);
            var json = ReportJson.Load(report);
            var warnings = json.Root.GetProperty("findings").EnumerateArray()
                .Where(f => f.GetProperty("severity").GetString() is "warning" or "error")
                .Select(f => $"{f.GetProperty("ruleId").GetString()}: {f.GetProperty("message").GetString()}")
                .ToList();
            warnings.ShouldBeEmpty(string.Join("\n", warnings));
            // It did serve while recorded: the hosting counters and the sockets say so.
            json.Root.GetProperty("runtime").GetProperty("requests").GetProperty("count").GetInt64().ShouldBeGreaterThan(1000);
            json.SyscallCount("recvfrom").ShouldBeGreaterThan(1000);
            json.SyscallCount("sendto").ShouldBeGreaterThan(1000);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
