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
            TargetThreads.WaitUntilAsleep(cat.Id, _ => true, 1, ["read"], "cat");
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
            target.StandardOutput.ReadLineAsync().Wait(TimeSpan.FromSeconds(90)).ShouldBeTrue("the deadlock never set in");

            // SIGKILL the moment ClrMD's pause has the target (a tracer on it): no finally block of the tool runs. The
            // pause is short and nothing announces it: a triage whose pause came and went unseen (this thread was not
            // scheduled meanwhile) ran to its end, is checked all the same, and does not count as a kill.
            const int Kills = 5;
            const int MaxAttempts = 8 * Kills;
            var killed = 0;
            var attempts = 0;
            for (; killed < Kills && attempts < MaxAttempts; attempts++)
            {
                using var tool = ProcessRunner.Start(RepoLayout.Tool, ["hang", "-p", target.Id.ToString(CultureInfo.InvariantCulture), "-q"]);
                _ = tool.StandardError.ReadToEndAsync();
                var paused = false;
                var clock = Stopwatch.StartNew();
                while (!tool.HasExited && !(paused = ProcTasks.TracerOf(target.Id) != 0))
                {
                    clock.Elapsed.ShouldBeLessThan(ProcessRunner.DefaultTimeout, $"attempt {attempts}: hang neither paused the target nor ended");
                    Thread.Yield(); // no sleep between looks: a sleep would miss most pauses
                }

                if (paused)
                {
                    tool.Kill();
                    killed++;
                }
                else
                {
                    output.WriteLine($"attempt {attempts}: the pause was not seen; the triage ran to its end");
                }

                tool.WaitForExit();

                // Running again: no thread stopped, none traced (a thread left stopped would stay so: the wait hides nothing).
                TargetThreads.Until(() => TargetThreads.Untouched(target.Id), $"attempt {attempts} (killed in the pause: {paused}): the target was left stopped or traced");
            }

            output.WriteLine($"{killed} kills in the pause in {attempts} attempts");
            killed.ShouldBe(Kills, $"kills in the pause in {attempts} attempts");

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

    /// <summary>
    /// Waits until the scenario's threads sit in the waits the triage is to find, as /proc shows them: the triage
    /// watches a window and calls a thread blocked only if it stayed in one call throughout. A starved pool has
    /// stopped growing once every queued request holds a worker (64 in starvation; aspnet-starvation caps the pool
    /// at 32), so no worker is still being added while the triage looks.
    /// </summary>
    private static void SettledIn(string scenario, int pid)
    {
        static bool PoolWorker(string name) => name == ".NET TP Worker";
        var wait = TimeSpan.FromSeconds(90); // the pool adds workers one by one: slower on a loaded machine
        switch (scenario)
        {
            case "deadlock":
                TargetThreads.WaitUntilAsleep(pid, n => n is "transfer-a-b" or "transfer-b-a", 2, ["futex"], scenario);
                break;
            case "starvation":
                TargetThreads.WaitUntilAsleep(pid, PoolWorker, 64, ["futex"], scenario, wait);
                break;
            case "aspnet-starvation":
                TargetThreads.WaitUntilAsleep(pid, PoolWorker, 32, ["futex"], scenario, wait);
                break;
            case "socket-read":
                TargetThreads.WaitUntilAsleep(pid, n => n == "fetcher", 1, ["recvfrom", "recvmsg", "read"], scenario);
                break;
            case "db-lock":
                TargetThreads.WaitUntilAsleep(pid, n => n == "order-job", 1, ["futex", "recvfrom", "recvmsg", "read", "poll", "ppoll"], scenario);
                break;
            case "flock":
                TargetThreads.WaitUntilAsleep(pid, n => n == "lock-waiter", 1, ["flock"], scenario);
                break;
            default:
                break; // busy and idle: nothing to settle, their threads run or wait as they always do
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
            ready.Wait(TimeSpan.FromSeconds(90)).ShouldBeTrue($"{scenario} never said it was ready");
            ready.Result.ShouldNotBeNull().ShouldStartWith("ready ");
            SettledIn(scenario, target.Id);

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
