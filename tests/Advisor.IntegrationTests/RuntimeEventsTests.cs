using System.Text.Json;
using Advisor.IntegrationTests.Support;

namespace Advisor.IntegrationTests;

/// <summary>The runtime's own events reach the report beside the syscalls, or a note says why not.</summary>
public sealed class RuntimeEventsTests
{
    [SkippableFact]
    public void Lock_contention_with_its_stacks_and_thread_pool_work_reach_the_report()
    {
        var traced = TracedSample.Run("LockContention", "--tasks", "8", "--count", "40000");

        traced.Result.ExitCode.ShouldBe(0, traced.Result.Stderr);
        var runtime = traced.Report.Root.GetProperty("runtime");
        var contention = runtime.GetProperty("contention");
        contention.GetProperty("count").GetInt64().ShouldBeGreaterThan(0, "8 tasks on one lock on 2 cores contend");
        contention.GetProperty("waitMs").GetDouble().ShouldBeGreaterThan(0);
        var frames = contention.GetProperty("stacks")[0].GetProperty("frames").EnumerateArray().Select(f => f.GetString()).ToList();
        frames.ShouldContain("LockContention.SharedCounter.Increment", string.Join(" | ", frames));
        // Monitor.Enter itself may be inlined into its caller once tiered up: its slow path stays a frame.
        frames.ShouldContain(f => f == "System.Threading.Monitor.Enter" || f == "System.Threading.Monitor.Enter_Slowpath", string.Join(" | ", frames));

        var pool = runtime.GetProperty("threadPool");
        pool.GetProperty("workerStarts").GetInt64().ShouldBeGreaterThan(0);
        // Work items are not counted one by one unless asked for (two events per item: the cost of a busy service).
        pool.TryGetProperty("enqueued", out _).ShouldBeFalse();
        pool.TryGetProperty("dequeued", out _).ShouldBeFalse();
        // The threads that ran the tasks are pool workers in the thread table.
        traced.Report.Threads.ShouldContain(t => t.GetProperty("role").GetString() == "threadpool-worker");
    }

    [SkippableFact]
    public void Asked_for_the_per_work_item_events_count_each_task_as_a_work_item()
    {
        Privileges.RequireTracing();
        var dir = Directory.CreateTempSubdirectory("advisor-it-");
        try
        {
            var report = Path.Combine(dir.FullName, "report.json");
            var result = ProcessRunner.Run(
                RepoLayout.Tool,
                ["run", "-q", "-o", report, "--", "dotnet", RepoLayout.Sample("LockContention"), "--tasks", "8", "--count", "40000"],
                environment: new Dictionary<string, string> { ["ADVISOR_RUNTIME_EVENTS"] = "+workitems" });

            result.ExitCode.ShouldBe(0, result.Stderr);
            var pool = ReportJson.Load(report).Root.GetProperty("runtime").GetProperty("threadPool");
            pool.GetProperty("enqueued").GetInt64().ShouldBeGreaterThanOrEqualTo(8, "each task is one work item");
            pool.GetProperty("dequeued").GetInt64().ShouldBeGreaterThanOrEqualTo(8);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [SkippableFact]
    public void Fixed_twin_of_the_lock_sample_contends_at_most_once_per_task_and_is_no_finding()
    {
        // The twin takes the shared lock once per task, to merge: 8 acquisitions can contend 8 times at most,
        // however busy the machine (the pathological mode's count depends on a free core, so no ratio here).
        var traced = TracedSample.Run("LockContention", "--tasks", "8", "--count", "80000", "--fixed");

        Contention(traced).ShouldBeLessThanOrEqualTo(8);
        traced.Report.RuleIds.ShouldBeEmpty();
    }

    [SkippableFact]
    public void The_lock_sample_is_ADV004_at_the_method_that_takes_the_lock()
    {
        var traced = TracedSample.Run("LockContention", "--tasks", "8", "--count", "80000");

        traced.Result.ExitCode.ShouldBe(0, traced.Result.Stderr);
        var finding = traced.Report.Findings("ADV004").ShouldHaveSingleItem();
        finding.GetProperty("message").GetString()!.ShouldContain("at LockContention.SharedCounter.Increment → Monitor.Enter");
        finding.GetProperty("evidence").GetProperty("totalTimeMs").GetDouble().ShouldBeGreaterThan(0);
        finding.GetProperty("evidence").GetProperty("threads").GetArrayLength().ShouldBeGreaterThanOrEqualTo(2);
        // Contention is the one root cause here: nothing else is reported.
        traced.Report.RuleIds.ShouldBe(["ADV004"]);
    }

    [SkippableFact]
    public void A_command_with_diagnostics_disabled_still_gets_its_syscall_findings_and_one_note_why()
    {
        Privileges.RequireTracing();
        var dir = Directory.CreateTempSubdirectory("advisor-it-");
        try
        {
            var report = Path.Combine(dir.FullName, "report.json");
            var result = ProcessRunner.Advisor(
                "run", "-q", "-o", report, "--", "env", "DOTNET_EnableDiagnostics=0", "dotnet", RepoLayout.Sample("UnbufferedWriter"), "--count", "100000");

            result.ExitCode.ShouldBe(0, result.Stderr);
            var json = ReportJson.Load(report);
            json.Findings("ADV002").ShouldHaveSingleItem();
            json.Root.TryGetProperty("runtime", out _).ShouldBeFalse();
            var notes = json.Root.GetProperty("session").GetProperty("notes").EnumerateArray().Select(n => n.GetString()!).ToList();
            notes.Count(n => n.Contains("runtime data", StringComparison.Ordinal)).ShouldBe(1, string.Join(" | ", notes));
            notes.ShouldContain(n => n.Contains("DOTNET_EnableDiagnostics=0", StringComparison.Ordinal));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [SkippableFact]
    public void Profile_of_a_process_with_diagnostics_disabled_reports_its_syscalls_and_says_why_runtime_data_is_missing()
    {
        Privileges.RequireTracing();
        var dir = Directory.CreateTempSubdirectory("advisor-it-");
        // env execs dotnet in the same process, so the pid is the target's.
        using var target = ProcessRunner.Start(
            "env", ["DOTNET_EnableDiagnostics=0", "dotnet", RepoLayout.Sample("UnbufferedWriter"), "--count", "200000000", "--path", Path.Combine(dir.FullName, "out.dat")]);
        try
        {
            TargetThreads.WaitForWriter(target.Id);
            var report = Path.Combine(dir.FullName, "report.json");
            var result = ProcessRunner.Advisor("profile", "-p", target.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), "--duration", "1s", "-q", "-o", report);

            result.ExitCode.ShouldBe(0, result.Stderr);
            var json = ReportJson.Load(report);
            json.Findings("ADV002").ShouldHaveSingleItem();
            var notes = json.Root.GetProperty("session").GetProperty("notes").EnumerateArray().Select(n => n.GetString()!).ToList();
            notes.ShouldHaveSingleItem().ShouldContain("DOTNET_EnableDiagnostics=0");
        }
        finally
        {
            target.Kill();
            target.WaitForExit();
            dir.Delete(recursive: true);
        }
    }

    [SkippableFact]
    public void A_dotnet_command_that_starts_dotnet_children_is_traced_whole_and_nothing_waits_on_the_port()
    {
        Privileges.RequireTracing();
        var dir = Directory.CreateTempSubdirectory("advisor-it-");
        try
        {
            // The tool's own demo: a .NET process (told to suspend at our port) that launches .NET children,
            // which must not inherit the setting and wait for a port nobody serves.
            var report = Path.Combine(dir.FullName, "report.json");
            var result = ProcessRunner.Run(RepoLayout.Tool, ["run", "-q", "-o", report, "--", RepoLayout.Tool, "demo", "-q"], TimeSpan.FromMinutes(2));

            result.ExitCode.ShouldBe(0, result.Stderr);
            var json = ReportJson.Load(report);
            json.RuleIds.ShouldContain("ADV002", "the grandchild workload's writes are in the recording");
            json.Root.TryGetProperty("runtime", out _).ShouldBeTrue("the launched .NET process connected");
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [SkippableFact]
    public void A_native_command_gets_syscall_findings_without_runtime_data_or_a_hang()
    {
        Privileges.RequireTracing();
        var dir = Directory.CreateTempSubdirectory("advisor-it-");
        try
        {
            var report = Path.Combine(dir.FullName, "report.json");
            // dd with a 16-byte block size is a native unbuffered writer.
            var result = ProcessRunner.Advisor(
                "run", "-q", "-o", report, "--", "dd", "if=/dev/zero", $"of={Path.Combine(dir.FullName, "dd.out")}", "bs=16", "count=100000", "status=none");

            result.ExitCode.ShouldBe(0, result.Stderr);
            var json = ReportJson.Load(report);
            json.Findings("ADV002").ShouldHaveSingleItem();
            json.Root.GetProperty("target").GetProperty("isDotNet").GetBoolean().ShouldBeFalse();
            json.Root.TryGetProperty("runtime", out _).ShouldBeFalse();
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    private static long Contention(TracedSample traced)
    {
        traced.Result.ExitCode.ShouldBe(0, traced.Result.Stderr);
        return traced.Report.Root.TryGetProperty("runtime", out var runtime)
            ? runtime.GetProperty("contention").GetProperty("count").GetInt64()
            : throw new JsonException("no runtime section in the report");
    }
}
