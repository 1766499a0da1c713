using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Advisor.IntegrationTests.Support;

namespace Advisor.IntegrationTests;

/// <summary>
/// `monitor --collect-on hang` against samples/Hang: a deadlock that sets in while watched is triaged and saved once
/// (JSON and Markdown, 0600) however long it lasts; idle and busy processes give nothing. The target, released
/// afterwards, finishes its work. A listed rule raised saves a recording that `report` reads.
/// </summary>
public sealed class MonitorCollectTests : IDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("advisor-collect-");

    public void Dispose() => _dir.Delete(recursive: true);

    private string Collected => Path.Combine(_dir.FullName, "evidence"); // created by monitor

    private string Release => Path.Combine(_dir.FullName, "release");

    /// <summary>The scenario's cue: the sample runs normally until the test creates it, once the watch is on.</summary>
    private string Start => Path.Combine(_dir.FullName, "start");

    private Process Hang(string scenario) => ProcessRunner.Start(
        "dotnet", ["exec", RepoLayout.Sample("Hang"), "--scenario", scenario, "--start-after", Start, "--release-after", Release, "--timeout", "120"]);

    /// <summary>monitor, serving its metrics (how the test counts the intervals it judged) on <paramref name="port"/>.</summary>
    private Process Monitor(Process target, int port, params string[] more) => ProcessRunner.Start(
        RepoLayout.Tool, ["monitor", "-p", target.Id.ToString(CultureInfo.InvariantCulture), "--interval", "1s", "--collect-on", "hang", "--collect-dir", Collected,
            "--prometheus", $"127.0.0.1:{port}", .. more]);

    [SkippableFact]
    public void A_deadlock_setting_in_while_watched_is_saved_once_as_an_ADV016_triage_despite_lasting()
    {
        Privileges.RequireTracing();
        Privileges.RequirePtraceAccess(); // the triage's runtime pause
        using var target = Hang("deadlock");
        var stderr = target.StandardError.ReadToEndAsync();
        try
        {
            target.StandardOutput.ReadLineAsync().Wait(Bound).ShouldBeTrue("the sample did not start");
            var ready = target.StandardOutput.ReadLineAsync();
            var port = FreePort.Find();
            using var tool = Monitor(target, port, "--collect-cooldown", "10m");
            var log = Lines(tool);
            Until(() => log.Any(l => l.Contains(" watching pid ", StringComparison.Ordinal)), "monitor did not start watching", tool);

            // A hang is suspected in threads seen to start while watched: the tool first reads the threads as it judges
            // the first interval, done once a second one was judged. Only then does the deadlock set in.
            MonitorMetrics.WaitForIntervals(port, target.Id, 1, tool);
            File.WriteAllText(Start, "");
            ready.Wait(Bound).ShouldBeTrue("the deadlock never set in");
            Until(() => log.Any(l => l.Contains(" collected hang triage ", StringComparison.Ordinal)), "no hang triage was collected", tool);

            // Several intervals more of the same deadlock, each judged: none saves anything again.
            MonitorMetrics.WaitForIntervals(port, target.Id, 5, tool);
            Kill(tool.Id, 2);
            tool.WaitForExit(Bound).ShouldBeTrue("monitor did not stop on SIGINT");
            tool.ExitCode.ShouldBe(0, tool.StandardError.ReadToEnd());

            var files = Directory.GetFiles(Collected).Order(StringComparer.Ordinal).ToList();
            files.Count.ShouldBe(2, string.Join("\n", log));
            var stem = Path.GetFileNameWithoutExtension(files[0]);
            stem.ShouldMatch($@"^advisor-Hang-{target.Id}-\d{{8}}T\d{{6}}Z-hang$");
            files.ShouldBe([Path.Combine(Collected, stem + ".json"), Path.Combine(Collected, stem + ".md")]);
            files.ShouldAllBe(f => File.GetUnixFileMode(f) == (UnixFileMode.UserRead | UnixFileMode.UserWrite));

            var report = ReportJson.Load(files[0]);
            report.Root.GetProperty("hang").GetProperty("verdict").GetString().ShouldBe("deadlock");
            report.RuleIds.ShouldBe(["ADV016"]);
            File.ReadAllText(files[1]).ShouldContain("ADV016");

            var collected = log.Where(l => l.Contains(" collected ", StringComparison.Ordinal)).ShouldHaveSingleItem();
            collected.ShouldContain($"collected hang triage of pid {target.Id} Hang (ADV016 deadlock) in {files[0]}");
            log.Count(l => l.Contains(" hang suspected in ", StringComparison.Ordinal)).ShouldBe(1, string.Join("\n", log)); // ClrMD paused it once

            File.WriteAllText(Release, "");
            target.WaitForExit(Bound).ShouldBeTrue("the target did not finish after release");
            target.ExitCode.ShouldBe(0, stderr.Result);
            stderr.Result.ShouldContain("completed=2");
        }
        finally
        {
            Stop(target);
        }
    }

    [SkippableTheory]
    [InlineData("idle")]
    [InlineData("busy")]
    public void A_process_that_is_not_hung_is_never_triaged_and_nothing_is_saved(string scenario)
    {
        Privileges.RequireTracing();
        Privileges.RequirePtraceAccess(); // were it triaged
        using var target = Hang(scenario);
        try
        {
            target.StandardOutput.ReadLineAsync().Wait(Bound).ShouldBeTrue("the sample did not start");
            var port = FreePort.Find();
            using var tool = Monitor(target, port, "--collect-cooldown", "10s");
            var log = Lines(tool);
            Until(() => log.Any(l => l.Contains(" watching pid ", StringComparison.Ordinal)), "monitor did not start watching", tool);
            File.WriteAllText(Start, "");
            target.StandardOutput.ReadLineAsync().Wait(Bound).ShouldBeTrue("the scenario never set in");

            // The scenario in place while watched, interval after interval: none of them suspects a hang.
            MonitorMetrics.WaitForIntervals(port, target.Id, 8, tool);
            Kill(tool.Id, 2);
            tool.WaitForExit(Bound).ShouldBeTrue("monitor did not stop on SIGINT");
            tool.ExitCode.ShouldBe(0, tool.StandardError.ReadToEnd());
            tool.WaitForExit(); // the output's end
            var output = string.Join("\n", log);
            output.ShouldContain("stopped (interrupted)");
            output.ShouldNotContain("hang suspected");
            output.ShouldNotContain("collected");
            Directory.GetFiles(Collected).ShouldBeEmpty();
            File.WriteAllText(Release, "");
            target.WaitForExit(Bound).ShouldBeTrue("the target did not finish after release");
            target.ExitCode.ShouldBe(0);
        }
        finally
        {
            Stop(target);
        }
    }

    [SkippableFact]
    public void A_listed_rule_raised_saves_one_recording_of_the_next_seconds_that_report_reads()
    {
        Privileges.RequireTracing();
        using var target = ProcessRunner.Start("dotnet", ["exec", RepoLayout.Sample("UnbufferedWriter"), "--path", Path.Combine(_dir.FullName, "steady.dat"), "--run-for", "600"]); // stopped by the test
        try
        {
            using var tool = ProcessRunner.Start(RepoLayout.Tool, [
                "monitor", "-p", target.Id.ToString(CultureInfo.InvariantCulture), "--interval", "1s",
                "--collect-on", "ADV002", "--collect-dir", Collected, "--collect-duration", "2s"]);
            var log = Lines(tool);
            Until(() => log.Any(l => l.Contains(" collected a recording ", StringComparison.Ordinal)), "no recording was collected", tool);
            Kill(tool.Id, 2);
            tool.WaitForExit(Bound).ShouldBeTrue("monitor did not stop on SIGINT");
            tool.ExitCode.ShouldBe(0, tool.StandardError.ReadToEnd());

            var file = Directory.GetFiles(Collected).ShouldHaveSingleItem();
            Path.GetFileName(file).ShouldMatch($@"^advisor-UnbufferedWriter-{target.Id}-\d{{8}}T\d{{6}}Z-ADV002\.advisor$");
            File.GetUnixFileMode(file).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite);
            log.ShouldContain(l => l.Contains($"collected a recording of pid {target.Id} UnbufferedWriter (ADV002) in {file}", StringComparison.Ordinal));

            var json = Path.Combine(_dir.FullName, "recorded.json");
            var report = ProcessRunner.Advisor("report", file, "-q", "-o", json);
            report.ExitCode.ShouldBe(0, report.Stderr);
            ReportJson.Load(json).RuleIds.ShouldContain("ADV002");
            target.HasExited.ShouldBeFalse();
        }
        finally
        {
            Stop(target);
        }
    }

    /// <summary>The tool's stdout, line by line as it comes.</summary>
    private static ConcurrentQueue<string> Lines(Process tool)
    {
        var lines = new ConcurrentQueue<string>();
        tool.OutputDataReceived += (_, e) =>
        {
            if (e.Data is { } line)
            {
                lines.Enqueue(line);
            }
        };
        tool.BeginOutputReadLine();
        return lines;
    }

    private static void Until(Func<bool> condition, string failure, Process tool)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            tool.HasExited.ShouldBeFalse($"{failure}: monitor exited");
            clock.Elapsed.ShouldBeLessThan(Bound, failure);
            Thread.Sleep(100);
        }
    }

    private static void Kill(int pid, int signal) => Process.Start("kill", [$"-{signal}", pid.ToString(CultureInfo.InvariantCulture)])!.WaitForExit();

    private static void Stop(Process target)
    {
        if (!target.HasExited)
        {
            target.Kill();
            target.WaitForExit();
        }
    }
}
