using System.Diagnostics;
using System.Globalization;
using Advisor.IntegrationTests.Support;
using Xunit.Abstractions;

namespace Advisor.IntegrationTests;

/// <summary>
/// The target is sacred: SIGINT, SIGTERM or SIGKILL of the tool at a random moment — before, during or
/// after attaching, and under <c>monitor</c> inside a recorded window or between two — leaves every thread of the
/// target running and untraced, and the target then finishes its work exactly (30 trials per backend and
/// command, over a few targets that each take several).
/// </summary>
public sealed class SafeDetachTests(ITestOutputHelper output)
{
    private const int Trials = 30;
    private const int TrialsPerTarget = 5;
    private const int MaxTargets = 3 * Trials / TrialsPerTarget; // a bound, should every target finish early
    private const int Records = 4_000_000;
    private const int Sigint = 2;
    private const int Sigkill = 9;
    private const int Sigterm = 15;
    private static readonly TimeSpan ToolExitLimit = ToolTracing.StopLimit;
    private static readonly TimeSpan TargetLimit = TimeSpan.FromMinutes(2);

    [SkippableTheory]
    [InlineData("bpf", "profile")]
    [InlineData("perf", "profile")]
    [InlineData("ptrace", "profile")]
    [InlineData("proc", "profile")]
    [InlineData("bpf", "monitor")] // windows of 0.5 s in 1 s intervals: paused half the time
    [InlineData("perf", "monitor")]
    public void Killing_the_tool_at_any_moment_leaves_the_target_to_finish_its_work(string backend, string command)
    {
        Privileges.RequireBackend(backend);

        // The same signals and moments on every run of a case, so a failure names what to replay.
        var seed = StableSeed($"{backend} {command}");
        output.WriteLine($"seed {seed} ({backend} {command})");
        var random = new Random(seed);
        string[] options = command == "monitor" ? ["--interval", "1s", "--record-for", "500ms"] : ["-q"];

        // A target may finish its work before its trials are done: its work is checked, and the next target takes the
        // remaining trials. A trial counts once the target outlived the tool, so its threads could be checked.
        var trial = 0;
        for (var targets = 0; trial < Trials && targets < MaxTargets; targets++)
        {
            var dir = Directory.CreateTempSubdirectory("advisor-kill-");
            var data = Path.Combine(dir.FullName, "out.dat");
            using var target = ProcessRunner.Start("dotnet", ["exec", RepoLayout.Sample("UnbufferedWriter"), "--count", Records.ToString(CultureInfo.InvariantCulture), "--path", data]);
            var stderr = target.StandardError.ReadToEndAsync();
            try
            {
                for (var onThisTarget = 0; onThisTarget < TrialsPerTarget && trial < Trials && !target.HasExited; onThisTarget++)
                {
                    var signal = new[] { Sigint, Sigterm, Sigkill }[random.Next(3)];
                    var delayMs = random.Next(0, command == "monitor" ? 3000 : 1500);
                    var what = $"{command} {backend} seed {seed} trial {trial}: signal {signal} after {delayMs} ms";
                    var since = LoadedBpf.BootNs();
                    using var tool = ProcessRunner.Start(
                        RepoLayout.Tool, [command, "-p", target.Id.ToString(CultureInfo.InvariantCulture), "--backend", backend, "--duration", "30s", .. options]);
                    _ = tool.StandardOutput.ReadToEndAsync(); // monitor's log, read so it never fills the pipe
                    Thread.Sleep(delayMs); // the random moment itself, not a wait for anything
                    Kill(tool.Id, signal);
                    tool.WaitForExit((int)ToolExitLimit.TotalMilliseconds).ShouldBeTrue($"{what}: the tool did not exit");
                    if (backend == "bpf")
                    {
                        LoadedBpf.ShouldHaveNoneLeftSince(since, what);
                    }

                    if (target.HasExited)
                    {
                        output.WriteLine($"{what}: the target finished its work meanwhile; the trial is run again on the next target");
                        break;
                    }

                    TargetThreads.ShouldBeUntouched(target.Id, what);
                    trial++;
                }

                target.WaitForExit((int)TargetLimit.TotalMilliseconds).ShouldBeTrue($"{backend} seed {seed}: the target never finished");
                target.ExitCode.ShouldBe(0, stderr.Result);
                var summary = SampleSummary.Parse(stderr.Result);
                summary.Records.ShouldBe(Records, $"seed {seed}");
                new FileInfo(data).Length.ShouldBe(Records * 16L, $"seed {seed}: every record written once");
            }
            finally
            {
                if (!target.HasExited)
                {
                    target.Kill();
                    target.WaitForExit();
                }

                dir.Delete(recursive: true);
            }
        }

        trial.ShouldBe(Trials, $"seed {seed}: trials run with the target alive after the tool");
    }

    /// <summary>FNV-1a of the case's name: the same on every run and machine, unlike string.GetHashCode.</summary>
    private static int StableSeed(string name)
    {
        var hash = 2166136261U;
        foreach (var c in name)
        {
            hash = (hash ^ c) * 16777619U;
        }

        return (int)(hash & 0x7fffffff);
    }

    private static void Kill(int pid, int signal)
    {
        using var kill = Process.Start("kill", [$"-{signal}", pid.ToString(CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }
}
