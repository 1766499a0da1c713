using System.Diagnostics;
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
        Privileges.RequireTool("wrk");
        var dir = Directory.CreateTempSubdirectory("advisor-it-");
        var report = Path.Combine(dir.FullName, "report.json");
        using var service = ProcessRunner.Start("dotnet", ["exec", RepoLayout.Sample("CleanService"), "--idle", "40"]);
        Process? load = null;
        try
        {
            var url = CleanServiceAddress.WaitFor(service);
            _ = service.StandardOutput.ReadToEndAsync();

            // Warm up (JIT, tiering, connection set-up), then record 5 s inside 8 s of load.
            var warmUp = ProcessRunner.Run("wrk", ["-t1", "-c16", "-d2s", url + "/items/1"], TimeSpan.FromMinutes(1));
            warmUp.ExitCode.ShouldBe(0, warmUp.Stderr);
            load = ProcessRunner.Start("wrk", ["-t1", "-c16", "-d8s", url + "/items/1"]);
            var loadOutput = load.StandardOutput.ReadToEndAsync();
            var profile = ProcessRunner.Run(
                RepoLayout.Tool, ["profile", "-p", service.Id.ToString(CultureInfo.InvariantCulture), "--duration", "5s", "-q", "-o", report], TimeSpan.FromMinutes(2));
            load.WaitForExit(TimeSpan.FromSeconds(60)).ShouldBeTrue("wrk did not finish");
            load.ExitCode.ShouldBe(0, loadOutput.Result);
            loadOutput.Result.ShouldNotContain("Non-2xx", customMessage: "the service failed requests");

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
            Stop(load);
            Stop(service);
            dir.Delete(recursive: true);
        }
    }

    private static void Stop(Process? process)
    {
        if (process is null)
        {
            return;
        }

        if (!process.HasExited)
        {
            process.Kill();
        }

        process.WaitForExit();
        process.Dispose();
    }
}
