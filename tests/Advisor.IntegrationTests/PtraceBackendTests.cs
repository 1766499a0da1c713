using System.Diagnostics;
using System.Globalization;
using Advisor.IntegrationTests.Support;

namespace Advisor.IntegrationTests;

/// <summary>
/// The ptrace backend, asked for and as auto's choice where perf is out of reach (the tool and its target run
/// as `nobody` through setpriv): every call counted exactly with its stack, threads created after the attach
/// traced, the target left running untraced; and where ptrace is out of reach too (the target already has a
/// tracer), the /proc backend still reports the write storm.
/// </summary>
public sealed class PtraceBackendTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("advisor-ptrace-");

    // nobody writes the sample's data files and the start gate here.
    public PtraceBackendTests() => Nobody.Share(_dir);

    public void Dispose() => _dir.Delete(recursive: true);

    [SkippableFact]
    public void Asked_for_it_counts_every_write_of_every_thread_exactly_with_its_stack_and_lets_the_target_finish()
    {
        Privileges.RequireBackend("ptrace");
        var data = Path.Combine(_dir.FullName, "storm.dat");
        var gate = Path.Combine(_dir.FullName, "go");
        using var target = StartWriter(data, 100_000, ["--threads", "2", "--start-after", gate]);
        var targetErr = target.StandardError.ReadToEndAsync();
        try
        {
            // The writer threads are created once the gate opens: after the attach.
            using var profiling = Profiling.FromTheGate(PtraceProfile(target), target.Id, gate);

            var report = profiling.Report();
            target.WaitForExit(TargetThreads.Patience).ShouldBeTrue();
            target.ExitCode.ShouldBe(0, targetErr.Result);
            var summary = SampleSummary.Parse(targetErr.Result);
            report.Root.GetProperty("session").GetProperty("backend").GetString().ShouldBe("ptrace");
            report.Root.GetProperty("session").GetProperty("lostEvents").GetInt64().ShouldBe(0);
            Notes(report).ShouldContain("the target exited during the recording: this is what was seen until then");

            // Every call of both writer threads, each on its own file: exact, as perf and strace count them.
            var storms = report.Findings("ADV002");
            storms.Select(f => f.GetProperty("evidence").GetProperty("path").GetString()).ShouldBe([$"{data}.0", $"{data}.1"], ignoreOrder: true);
            storms.Sum(f => f.GetProperty("evidence").GetProperty("count").GetInt64()).ShouldBe(summary.SyscallWrites);
            foreach (var storm in storms)
            {
                storm.GetProperty("message").GetString()!.ShouldContain("Program.WriteRecords");
                storm.GetProperty("stacks")[0].GetProperty("frames").GetArrayLength().ShouldBeGreaterThan(3);
            }
        }
        finally
        {
            Stop(target);
        }
    }

    [SkippableFact]
    public void After_a_recording_of_a_busy_target_no_thread_is_left_stopped_or_traced_and_its_work_is_intact()
    {
        Privileges.RequireBackend("ptrace");
        const int Records = 2_000_000;
        var data = Path.Combine(_dir.FullName, "busy.dat");
        using var target = StartWriter(data, Records, []);
        var targetErr = target.StandardError.ReadToEndAsync();
        try
        {
            TargetThreads.WaitForWriter(target.Id);

            var result = ProcessRunner.Advisor("profile", "-p", Pid(target), "--backend", "ptrace", "--duration", "2s", "--format", "json");

            result.ExitCode.ShouldBe(0, result.Stderr);
            ReportJson.Parse(result.Stdout).RuleIds.ShouldContain("ADV002");
            TargetThreads.ShouldBeUntouched(target.Id, "after the recording");

            target.WaitForExit(ProcessRunner.DefaultTimeout).ShouldBeTrue();
            target.ExitCode.ShouldBe(0, targetErr.Result);
            new FileInfo(data).Length.ShouldBe(Records * 16L, "every record written once");
        }
        finally
        {
            Stop(target);
        }
    }

    [SkippableFact]
    public void A_job_control_stop_while_traced_stops_the_target_as_without_us_and_SIGCONT_resumes_it()
    {
        Privileges.RequireBackend("ptrace");
        const int Records = 300_000;
        var data = Path.Combine(_dir.FullName, "stopped.dat");
        var gate = Path.Combine(_dir.FullName, "stopped-go");
        using var target = StartWriter(data, Records, ["--start-after", gate]);
        var targetErr = target.StandardError.ReadToEndAsync();
        try
        {
            using var profiling = Profiling.FromTheGate(PtraceProfile(target), target.Id, gate);
            TargetThreads.WaitForWriter(target.Id);

            // Ctrl+Z's signal: every thread stops (group-stop, kept by PTRACE_LISTEN) and stays stopped...
            Signal(target.Id, "STOP");
            TargetThreads.Until(() => TargetThreads.Statuses(target.Id).All(s => TargetThreads.IsStopped(s.State)), "the target did not stop");
            var sizeStopped = new FileInfo(data).Length;
            Thread.Sleep(300); // a while to watch: the property is that nothing happens in it, no event to wait for
            new FileInfo(data).Length.ShouldBe(sizeStopped, "a stopped target writes nothing");

            // ...until SIGCONT, after which it finishes its work, traced to the end.
            Signal(target.Id, "CONT");
            target.WaitForExit(ProcessRunner.DefaultTimeout).ShouldBeTrue("the target never finished after SIGCONT");
            target.ExitCode.ShouldBe(0, targetErr.Result);
            new FileInfo(data).Length.ShouldBe(Records * 16L);
            profiling.Report().Findings("ADV002").ShouldHaveSingleItem();
        }
        finally
        {
            Stop(target);
        }
    }

    [SkippableFact]
    public void Without_perf_rights_auto_picks_ptrace_says_why_and_finds_the_storm()
    {
        var data = Path.Combine(_dir.FullName, "nobody.dat");
        var gate = Path.Combine(_dir.FullName, "nobody-go");
        using var target = AsNobody("dotnet", ["exec", RepoLayout.Sample("UnbufferedWriter"), "--path", data, "--count", "50000", "--start-after", gate]);
        var targetErr = target.StandardError.ReadToEndAsync();
        try
        {
            using var profiling = Profiling.FromTheGate(AsNobody(RepoLayout.Tool, ["profile", "-p", Pid(target), "--duration", "120s", "--format", "json"]), target.Id, gate);

            var report = profiling.Report();
            report.Root.GetProperty("session").GetProperty("backend").GetString().ShouldBe("ptrace");
            var notes = Notes(report);
            notes.ShouldContain(n => n.StartsWith("the perf backend could not be used: ", StringComparison.Ordinal));
            notes.ShouldContain("using the ptrace backend instead");
            var storm = report.Findings("ADV002").ShouldHaveSingleItem();
            storm.GetProperty("evidence").GetProperty("path").GetString().ShouldBe(data);
            storm.GetProperty("evidence").GetProperty("count").GetInt64().ShouldBe(SampleSummary.Parse(targetErr.Result).SyscallWrites);
        }
        finally
        {
            Stop(target);
        }
    }

    [SkippableFact]
    public void A_target_another_tracer_holds_is_exit_4_asked_for_ptrace_and_auto_still_reports_the_storm_from_proc()
    {
        Privileges.RequireTool("strace");
        var data = Path.Combine(_dir.FullName, "traced.dat");

        // strace slows the writer down enough that it is still writing while both runs look at it.
        using var strace = AsNobody("strace", ["-f", "-qq", "-o", "/dev/null", "dotnet", "exec", RepoLayout.Sample("UnbufferedWriter"), "--path", data, "--count", "4000000"]);
        try
        {
            // The child strace runs may not be the first one seen (a short-lived one can come first): the one writing.
            var target = 0;
            TargetThreads.Until(() => (target = ChildOf(strace.Id)) > 0 && TargetThreads.IsWriting(target), "the traced sample never started writing");
            var pid = target.ToString(CultureInfo.InvariantCulture);

            var refused = RunAsNobody(["profile", "-p", pid, "--backend", "ptrace", "--duration", "1s", "-q"]);
            refused.ExitCode.ShouldBe(4, refused.Stderr);
            refused.Stderr.Trim().Split('\n').ShouldHaveSingleItem()
                .ShouldBe($"dotnet-advisor: process {pid} is already traced by process {strace.Id} (a debugger or strace): stop that, or use --backend perf or proc");

            var result = RunAsNobody(["profile", "-p", pid, "--duration", "3s", "--format", "json"]);

            result.ExitCode.ShouldBe(0, result.Stderr);
            var report = ReportJson.Parse(result.Stdout);
            report.Root.GetProperty("session").GetProperty("backend").GetString().ShouldBe("proc");
            var notes = Notes(report);
            notes.ShouldContain(n => n.StartsWith("the ptrace backend could not be used: process ", StringComparison.Ordinal));
            notes.ShouldContain("using the proc backend instead");
            report.Findings("ADV002").ShouldHaveSingleItem().GetProperty("evidence").GetProperty("path").GetString().ShouldBe(data);
        }
        finally
        {
            Stop(strace, entireTree: true);
        }
    }

    [SkippableFact]
    public void Asked_for_ptrace_on_another_user_s_process_is_exit_4_naming_the_remedy()
    {
        using var sleeper = ProcessRunner.Start("sleep", ["30"]);
        try
        {
            var result = RunAsNobody(["profile", "-p", Pid(sleeper), "--backend", "ptrace", "--duration", "1s", "-o", Path.Combine(_dir.FullName, "never.json")]);

            result.ExitCode.ShouldBe(4, result.Stderr);
            var line = result.Stderr.Trim().Split('\n').ShouldHaveSingleItem();
            line.ShouldContain("CAP_SYS_PTRACE");
            line.ShouldContain("--backend proc");
            File.Exists(Path.Combine(_dir.FullName, "never.json")).ShouldBeFalse();
        }
        finally
        {
            Stop(sleeper);
        }
    }

    [Fact]
    public void Run_with_ptrace_is_a_usage_error_pointing_to_profile()
    {
        var result = ProcessRunner.Advisor("run", "--backend", "ptrace", "--", "true");

        result.ExitCode.ShouldBe(2, result.Stderr);
        var line = result.Stderr.Trim().Split('\n').ShouldHaveSingleItem();
        line.ShouldContain("profile -p PID");
        line.ShouldContain("--backend perf or proc");
    }

    /// <summary>The tool recording the target with ptrace until it exits, its report as JSON on stdout.</summary>
    private static Process PtraceProfile(Process target) =>
        ProcessRunner.Start(RepoLayout.Tool, ["profile", "-p", Pid(target), "--backend", "ptrace", "--duration", "120s", "--format", "json"]);

    private static Process StartWriter(string data, int records, IEnumerable<string> extra) =>
        ProcessRunner.Start("dotnet", ["exec", RepoLayout.Sample("UnbufferedWriter"), "--path", data, "--count", records.ToString(CultureInfo.InvariantCulture), .. extra]);

    private Process AsNobody(string program, IEnumerable<string> arguments) => Nobody.Start(_dir, program, arguments);

    private ProcessResult RunAsNobody(IEnumerable<string> arguments) => Nobody.Advisor(_dir, arguments);

    private static void Signal(int pid, string signal) =>
        ProcessRunner.Run("kill", [$"-{signal}", pid.ToString(CultureInfo.InvariantCulture)]).ExitCode.ShouldBe(0);

    private static string Pid(Process process) => process.Id.ToString(CultureInfo.InvariantCulture);

    private static List<string> Notes(ReportJson report) =>
        report.Root.GetProperty("session").GetProperty("notes").EnumerateArray().Select(n => n.GetString()!).ToList();

    /// <summary>The process's first child, or 0 (none yet, or the process is gone).</summary>
    private static int ChildOf(int pid)
    {
        try
        {
            return int.TryParse(File.ReadAllText($"/proc/{pid}/task/{pid}/children").Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault(), out var child) ? child : 0;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return 0;
        }
    }

    private static void Stop(Process process, bool entireTree = false)
    {
        if (!process.HasExited)
        {
            process.Kill(entireTree);
            process.WaitForExit();
        }
    }

    /// <summary>A tool recording a target that waits at its start gate, opened once every thread is traced.</summary>
    private sealed record Profiling(Process Tool, Task<string> Stdout, Task<string> Stderr) : IDisposable
    {
        public static Profiling FromTheGate(Process tool, int target, string gate)
        {
            var profiling = new Profiling(tool, tool.StandardOutput.ReadToEndAsync(), tool.StandardError.ReadToEndAsync());
            TargetThreads.WaitUntilTraced(target);
            File.WriteAllText(gate, string.Empty);
            return profiling;
        }

        /// <summary>The report, once the tool has ended with its target (exit 0).</summary>
        public ReportJson Report()
        {
            Tool.WaitForExit(ProcessRunner.DefaultTimeout).ShouldBeTrue("the tool did not end with its target");
            Tool.ExitCode.ShouldBe(0, Stderr.Result);
            return ReportJson.Parse(Stdout.Result);
        }

        public void Dispose() => Tool.Dispose();
    }
}
