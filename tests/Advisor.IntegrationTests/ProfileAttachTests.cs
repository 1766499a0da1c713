using Advisor.IntegrationTests.Support;

namespace Advisor.IntegrationTests;

/// <summary>`profile -p` on a process that is already running.</summary>
public sealed class ProfileAttachTests
{
    [SkippableFact]
    public void Profile_sees_threads_created_after_it_attached()
    {
        Privileges.RequireTracing();
        var dir = Directory.CreateTempSubdirectory("advisor-it-");
        var trigger = Path.Combine(dir.FullName, "go");
        var report = Path.Combine(dir.FullName, "report.json");
        using var target = ProcessRunner.Start(
            "dotnet", ["exec", RepoLayout.Sample("UnbufferedWriter"), "--count", "20000", "--threads", "4", "--start-after", trigger, "--path", Path.Combine(dir.FullName, "out.dat")]);
        try
        {
            using var tool = ProcessRunner.Start(RepoLayout.Tool, ["profile", "-p", target.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), "--duration", "60s", "-q", "-o", report]);
            ToolTracing.WaitFor(tool, HostBackend.Name); // only then may the target create its threads
            File.WriteAllText(trigger, "");

            target.WaitForExit(TimeSpan.FromSeconds(60)).ShouldBeTrue();
            var summary = SampleSummary.Parse(target.StandardError.ReadToEnd());
            tool.WaitForExit(TimeSpan.FromSeconds(60)).ShouldBeTrue();
            tool.ExitCode.ShouldBe(0, tool.StandardError.ReadToEnd());

            var json = ReportJson.Load(report);
            // 20,000 writes with their stacks fit in the rings even if the drain gets no CPU (this is about
            // coverage of new threads; losing records under load is reported, and tested elsewhere).
            json.Root.GetProperty("session").GetProperty("lostEvents").GetInt64().ShouldBe(0);
            // Every write came from the four writer threads, all created after the tool attached.
            var writers = json.Threads.Where(t => t.GetProperty("name").GetString()!.StartsWith("writer-", StringComparison.Ordinal)).ToList();
            writers.Count.ShouldBe(4);
            writers.ShouldAllBe(t => t.GetProperty("syscalls").GetInt64() >= 5_000);
            var findings = json.Findings("ADV002");
            findings.Select(f => f.GetProperty("message").GetString()).ShouldAllBe(m => m!.Contains("out.dat.", StringComparison.Ordinal));
            findings.Count.ShouldBe(4);
            findings.Sum(f => f.GetProperty("evidence").GetProperty("count").GetInt64())
                .ShouldBe(summary.SyscallWrites, string.Join(" | ", findings.Select(f => f.GetProperty("message").GetString())));
        }
        finally
        {
            if (!target.HasExited)
            {
                target.Kill();
            }

            dir.Delete(recursive: true);
        }
    }
}
