using System.Diagnostics;
using System.Globalization;
using Advisor.IntegrationTests.Support;

namespace Advisor.IntegrationTests;

/// <summary>
/// What the tool turns on in a target it turns off: the runtime runs one ".NET EventPipe" streaming thread
/// per session (beside one of the same name it always has), so counting those threads against the count
/// before shows whether a session is still enabled.
/// </summary>
public sealed class SessionCleanupTests
{
    private static readonly TimeSpan SessionEndGrace = TimeSpan.FromSeconds(10);

    [SkippableFact]
    public void Profile_ends_its_runtime_sessions_when_it_detaches()
    {
        Privileges.RequireTracing();
        using var target = StartLongTarget(out var dir);
        try
        {
            var baseline = Baseline(target.Id);
            var result = ProcessRunner.Advisor("profile", "-p", Pid(target), "--duration", "2s", "-q", "-o", Path.Combine(dir.FullName, "r.json"));

            result.ExitCode.ShouldBe(0, result.Stderr);
            WaitFor(() => EventPipeThreads(target.Id) == baseline, "no EventPipe session left after detach");
            target.HasExited.ShouldBeFalse();
        }
        finally
        {
            Stop(target, dir);
        }
    }

    [SkippableFact]
    public void Killing_the_tool_mid_recording_ends_its_runtime_sessions_and_leaves_the_target_running()
    {
        Privileges.RequireTracing();
        using var target = StartLongTarget(out var dir);
        try
        {
            var baseline = Baseline(target.Id);
            using var tool = ProcessRunner.Start(RepoLayout.Tool, ["profile", "-p", Pid(target), "--duration", "60s", "-q"]);
            WaitFor(() => EventPipeThreads(target.Id) > baseline, "the tool's sessions started");

            tool.Kill();
            tool.WaitForExit();

            WaitFor(() => EventPipeThreads(target.Id) == baseline, "the runtime ended the sessions of a reader that went away");
            target.HasExited.ShouldBeFalse();
            File.Exists(Path.Combine(dir.FullName, "out.dat")).ShouldBeTrue();
        }
        finally
        {
            Stop(target, dir);
        }
    }

    private static Process StartLongTarget(out DirectoryInfo dir)
    {
        dir = Directory.CreateTempSubdirectory("advisor-it-");
        // Long enough to outlive the test; killed at the end.
        return ProcessRunner.Start(
            "dotnet", ["exec", RepoLayout.Sample("UnbufferedWriter"), "--count", "200000000", "--path", Path.Combine(dir.FullName, "out.dat")]);
    }

    /// <summary>The target's own count, once its runtime is up (its writer thread exists).</summary>
    private static int Baseline(int pid)
    {
        WaitFor(() => File.Exists($"/proc/{pid}/task/{pid}/comm") && ThreadNames(pid).Any(n => n.StartsWith("writer-", StringComparison.Ordinal)), "the target is writing");
        return EventPipeThreads(pid);
    }

    private static string Pid(Process process) => process.Id.ToString(CultureInfo.InvariantCulture);

    private static int EventPipeThreads(int pid) => ThreadNames(pid).Count(n => n.StartsWith(".NET EventPipe", StringComparison.Ordinal));

    private static List<string> ThreadNames(int pid)
    {
        var names = new List<string>();
        foreach (var task in Directory.EnumerateDirectories($"/proc/{pid}/task"))
        {
            try
            {
                names.Add(File.ReadAllText(Path.Combine(task, "comm")));
            }
            catch (IOException)
            {
                // The thread ended while we looked.
            }
        }

        return names;
    }

    private static void WaitFor(Func<bool> condition, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > SessionEndGrace)
            {
                throw new TimeoutException($"not within {SessionEndGrace.TotalSeconds} s: {what}");
            }

            Thread.Sleep(50);
        }
    }

    private static void Stop(Process target, DirectoryInfo dir)
    {
        if (!target.HasExited)
        {
            target.Kill();
            target.WaitForExit();
        }

        dir.Delete(recursive: true);
    }
}
