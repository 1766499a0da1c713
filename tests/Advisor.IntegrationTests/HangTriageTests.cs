using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Advisor.IntegrationTests.Support;
using Advisor.Linux.Procfs;
using Xunit.Abstractions;

namespace Advisor.IntegrationTests;

/// <summary>
/// `hang -p PID` against samples/Hang, each stuck on purpose: the right verdict and findings, and the target
/// unharmed — no thread left stopped or traced, and, released afterwards, it finishes its work and exits 0.
/// In the round-trip servers' collection for the PostgreSQL its db-lock scenario waits on (started only then).
/// </summary>
[Collection(RoundTripServers.Name)]
public sealed class HangTriageTests(ITestOutputHelper output, PostgresServer postgres)
{
    /// <summary>What the last triage printed on the console (xUnit makes one instance per test).</summary>
    private string _console = "";

    [SkippableFact]
    public void A_lock_order_deadlock_names_both_threads_both_locks_and_both_stacks()
    {
        var (report, released) = Triage("deadlock");

        Verdict(report).ShouldBe("deadlock");
        var finding = report.Findings("ADV016").ShouldHaveSingleItem();
        var message = finding.GetProperty("message").GetString()!;
        message.ShouldContain("transfer-a-b");
        message.ShouldContain("transfer-b-a");
        message.ShouldContain("Account");
        message.ShouldContain("Ledger");
        var stacks = finding.GetProperty("stacks").EnumerateArray().Select(s => string.Join(" ", s.GetProperty("frames").EnumerateArray().Select(f => f.GetString()))).ToList();
        stacks.Count.ShouldBe(2);
        stacks.ShouldContain(s => s.Contains("TransferAtoB", StringComparison.Ordinal));
        stacks.ShouldContain(s => s.Contains("TransferBtoA", StringComparison.Ordinal));
        released.ShouldContain("completed=2");
    }

    [SkippableFact]
    public void Sync_over_async_on_every_pool_worker_is_starvation()
    {
        var (report, released) = Triage("starvation");

        Verdict(report).ShouldBe("threadpool-starvation");
        report.Findings("ADV005").ShouldHaveSingleItem().GetProperty("message").GetString()!.ShouldContain("thread-pool workers are blocked");
        released.ShouldContain("released=true");
    }

    [SkippableFact]
    public void A_minimal_API_blocking_every_worker_is_starvation_naming_the_call_the_handler_and_the_requests_in_flight()
    {
        // The issue's stall: pool workers blocked under ASP.NET Core's frames, answered within the design's 10 s.
        var (report, released) = Triage("aspnet-starvation", answerWithin: TimeSpan.FromSeconds(10));

        Verdict(report).ShouldBe("threadpool-starvation");
        var message = report.Findings("ADV005").ShouldHaveSingleItem().GetProperty("message").GetString()!;
        message.ShouldContain("thread-pool workers are blocked inside work items");
        message.ShouldContain("Task.Wait");
        message.ShouldContain("Hang.AspNetStarvation.Start (lambda)");
        message.ShouldContain("HTTP: GET /orders/{id:int}");

        var requests = report.Root.GetProperty("hang").GetProperty("requests");
        requests.GetProperty("inFlight").GetInt32().ShouldBeGreaterThanOrEqualTo(requests.GetProperty("blocked").GetInt32());
        requests.GetProperty("blocked").GetInt32().ShouldBeGreaterThanOrEqualTo(2);
        var blocked = requests.GetProperty("items").EnumerateArray().Where(r => r.TryGetProperty("blockedForMs", out _)).ToList();
        blocked.Count.ShouldBe(requests.GetProperty("blocked").GetInt32());
        blocked.ShouldAllBe(r => r.GetProperty("blockedIn").GetString() == "Task.Wait"
            && r.GetProperty("method").GetString() == "GET"
            && r.GetProperty("path").GetString()!.StartsWith("/orders/", StringComparison.Ordinal)
            && r.GetProperty("endpoint").GetString() == "HTTP: GET /orders/{id:int}"
            && r.GetProperty("handler").GetString() == "Hang.AspNetStarvation.Start (lambda)"
            && r.GetProperty("blockedForMs").GetDouble() > 0);

        _console.ShouldContain(string.Create(CultureInfo.InvariantCulture, $"REQUESTS {requests.GetProperty("inFlight").GetInt32()} in flight"));
        _console.ShouldContain("HTTP: GET /orders/{id:int}");

        // Released, the requests in flight drain, every client ends cleanly and a new request is answered.
        released.ShouldContain("completed=64");
    }

    [SkippableFact]
    public void A_socket_read_with_no_answer_is_a_hung_thread_with_the_endpoint_and_its_stack()
    {
        var (report, released) = Triage("socket-read");

        Verdict(report).ShouldBe("blocked-on-io");
        var finding = report.Findings("ADV015").ShouldHaveSingleItem();
        var message = finding.GetProperty("message").GetString()!;
        message.ShouldContain("fetcher");
        message.ShouldContain("→ 127.0.0.1:");
        finding.GetProperty("stacks")[0].GetProperty("frames").EnumerateArray().Select(f => f.GetString()).ShouldContain(f => f!.Contains("NetworkStream.Read", StringComparison.Ordinal));
        var fetcher = report.Threads.Single(t => t.GetProperty("name").GetString() == "fetcher");
        fetcher.GetProperty("blockedSyscall").GetString().ShouldBeOneOf("recvfrom", "recvmsg", "read");
        released.ShouldContain("completed=1");
    }

    [SkippableFact]
    public void A_statement_waiting_in_PostgreSQL_for_a_row_lock_is_a_thread_waiting_for_the_server_naming_it_its_library_and_the_method()
    {
        // The job's UPDATE waits for a row another transaction holds: Npgsql's sync read sits in a futex, not in recv.
        var server = postgres.Endpoint;
        var (report, released) = Triage("db-lock", ["--server", server]);

        Verdict(report).ShouldBe("blocked-on-io");
        var finding = report.Findings("ADV015").ShouldHaveSingleItem();
        var message = finding.GetProperty("message").GetString()!;
        message.ShouldStartWith("order-job (tid ");
        message.ShouldContain($" for PostgreSQL at {server} (Npgsql) in Hang.OrderJob.Settle → NpgsqlCommand.ExecuteNonQuery; blocked in ");
        message.ShouldContain($", its connection fd {finding.GetProperty("evidence").GetProperty("fd").GetInt32()} tcp 127.0.0.1:");
        message.ShouldEndWith($" → {server}");
        var hang = report.Root.GetProperty("hang");
        hang.GetProperty("summary").GetString().ShouldBe(message);
        var next = hang.GetProperty("nextStep").GetString()!;
        next.ShouldContain("pg_stat_activity");
        next.ShouldContain("pg_locks");
        next.ShouldContain("CommandTimeout");
        released.ShouldContain("completed=1");
    }

    [SkippableFact]
    public void A_file_lock_held_by_another_process_names_the_holder()
    {
        var (report, released) = Triage("flock");

        Verdict(report).ShouldBe("blocked-on-io");
        var message = report.Findings("ADV015").ShouldHaveSingleItem().GetProperty("message").GetString()!;
        message.ShouldContain("lock-waiter");
        message.ShouldContain("in flock");
        message.ShouldContain("locked by pid");
        released.ShouldContain("completed=1");
    }

    [SkippableFact]
    public void Threads_computing_are_busy_not_hung()
    {
        var (report, _) = Triage("busy");

        Verdict(report).ShouldBe("busy");
        report.RuleIds.ShouldBeEmpty();
        report.Root.GetProperty("hang").GetProperty("summary").GetString()!.ShouldContain("cruncher-");
    }

    [SkippableFact]
    public void A_process_waiting_for_work_is_idle_with_no_finding()
    {
        var (report, _) = Triage("idle");

        Verdict(report).ShouldBe("idle");
        report.RuleIds.ShouldBeEmpty();
    }

    [SkippableFact]
    public void A_non_dotnet_process_gets_the_proc_part_with_a_note()
    {
        Privileges.RequirePtraceAccess();
        // cat reads its stdin, a pipe nobody writes to: one thread blocked in read, no runtime.
        using var cat = ProcessRunner.Start("cat", []);
        try
        {
            Thread.Sleep(300);
            var report = RunHang(cat.Id);

            Verdict(report).ShouldBe("blocked-on-io");
            report.Root.GetProperty("target").GetProperty("isDotNet").GetBoolean().ShouldBeFalse();
            report.Root.GetProperty("session").GetProperty("notes").EnumerateArray().Select(n => n.GetString()).ShouldContain(n => n!.StartsWith("not a .NET process", StringComparison.Ordinal));
            var thread = report.Threads.ShouldHaveSingleItem();
            thread.GetProperty("blockedSyscall").GetString().ShouldBe("read");
            thread.GetProperty("blockedOn").GetString()!.ShouldStartWith("fd 0 pipe:");
            cat.HasExited.ShouldBeFalse();
        }
        finally
        {
            cat.Kill();
        }
    }

    [SkippableFact]
    public void An_unknown_pid_is_one_line_and_exit_code_3()
    {
        var result = ProcessRunner.Advisor("hang", "-p", "999999999");

        result.ExitCode.ShouldBe(3);
        result.Stderr.Trim().ShouldBe("dotnet-advisor: no process with id 999999999 (see `dotnet-advisor ps`)");
    }

    [SkippableFact]
    public void Killing_hang_while_it_holds_the_target_paused_leaves_the_target_running()
    {
        Privileges.RequirePtraceAccess();
        var dir = Directory.CreateTempSubdirectory("advisor-hang-kill-");
        var release = Path.Combine(dir.FullName, "release");
        using var target = ProcessRunner.Start("dotnet", ["exec", RepoLayout.Sample("Hang"), "--scenario", "deadlock", "--release-after", release, "--timeout", "120"]);
        var stderr = target.StandardError.ReadToEndAsync();
        try
        {
            target.StandardOutput.ReadLineAsync().Wait(TimeSpan.FromSeconds(30)).ShouldBeTrue("the deadlock never set in");
            for (var trial = 0; trial < 5; trial++)
            {
                // SIGKILL the moment ClrMD's pause has the target (a tracer on it): no finally block of the tool runs.
                using var tool = ProcessRunner.Start(RepoLayout.Tool, ["hang", "-p", target.Id.ToString(CultureInfo.InvariantCulture), "-q"]);
                var clock = Stopwatch.StartNew();
                while (ProcTasks.TracerOf(target.Id) == 0 && !tool.HasExited && clock.Elapsed < TimeSpan.FromSeconds(20))
                {
                    Thread.Sleep(1);
                }

                tool.HasExited.ShouldBeFalse($"trial {trial}: hang ended without pausing the target");
                tool.Kill();
                tool.WaitForExit();

                // Running again within moments: no thread stopped, none traced.
                clock.Restart();
                while (!TargetThreads.Untouched(target.Id) && clock.Elapsed < TimeSpan.FromSeconds(5))
                {
                    Thread.Sleep(20);
                }

                TargetThreads.Untouched(target.Id).ShouldBeTrue($"trial {trial}: the target was left stopped or traced");
            }

            File.WriteAllText(release, "");
            target.WaitForExit(TimeSpan.FromSeconds(60)).ShouldBeTrue("the target did not finish after release");
            target.ExitCode.ShouldBe(0, stderr.Result);
        }
        finally
        {
            if (!target.HasExited)
            {
                target.Kill(entireProcessTree: true);
            }

            dir.Delete(recursive: true);
        }
    }

    private static string Verdict(ReportJson report) => report.Root.GetProperty("hang").GetProperty("verdict").GetString()!;

    /// <summary>
    /// Starts the scenario, waits until it says the hang is in place, triages it, then releases it and
    /// returns its summary line: a target that finishes its work after the triage was not harmed by it.
    /// </summary>
    /// <param name="options">More options of the scenario (the server db-lock waits on).</param>
    /// <param name="answerWithin">A bound on the triage's own run, when the test holds it to one.</param>
    private (ReportJson Report, string Released) Triage(string scenario, string[]? options = null, TimeSpan? answerWithin = null)
    {
        Privileges.RequirePtraceAccess();
        var dir = Directory.CreateTempSubdirectory("advisor-hang-");
        var release = Path.Combine(dir.FullName, "release");
        using var target = ProcessRunner.Start("dotnet", ["exec", RepoLayout.Sample("Hang"), "--scenario", scenario, .. options ?? [], "--release-after", release, "--timeout", "90"]);
        var stderr = target.StandardError.ReadToEndAsync();
        try
        {
            var ready = target.StandardOutput.ReadLineAsync();
            ready.Wait(TimeSpan.FromSeconds(30)).ShouldBeTrue($"{scenario} never said it was ready");
            ready.Result.ShouldNotBeNull().ShouldStartWith("ready ");
            // Let the blocked threads settle into their waits (and the pool inject a thread or two).
            Thread.Sleep(scenario.EndsWith("starvation", StringComparison.Ordinal) ? 2_000 : 500);

            var report = RunHang(target.Id, answerWithin);

            target.HasExited.ShouldBeFalse("the triage must leave the target running");
            TargetThreads.ShouldBeUntouched(target.Id, "after the triage");
            File.WriteAllText(release, "");
            target.WaitForExit(TimeSpan.FromSeconds(60)).ShouldBeTrue($"{scenario} did not finish after release");
            target.ExitCode.ShouldBe(0, stderr.Result);
            var summary = stderr.Result.Split('\n').Last(l => l.StartsWith("sample=", StringComparison.Ordinal));
            summary.ShouldContain("released=true");
            return (report, summary);
        }
        finally
        {
            if (!target.HasExited)
            {
                target.Kill(entireProcessTree: true);
            }

            dir.Delete(recursive: true);
        }
    }

    /// <param name="within">Kill the tool and fail past this; by default the runner's generous limit.</param>
    private ReportJson RunHang(int pid, TimeSpan? within = null)
    {
        var dir = Directory.CreateTempSubdirectory("advisor-hang-report-");
        try
        {
            var path = Path.Combine(dir.FullName, "hang.json");
            var clock = Stopwatch.StartNew();
            var result = ProcessRunner.Run(RepoLayout.Tool, ["hang", "-p", pid.ToString(CultureInfo.InvariantCulture), "-o", path], within);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"hang took {clock.Elapsed.TotalSeconds:0.00} s"));
            output.WriteLine(result.Stdout);
            _console = result.Stdout;
            result.ExitCode.ShouldBe(0, result.Stderr);
            return ReportJson.Load(path);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
