using System.Diagnostics;
using System.Globalization;
using Advisor.IntegrationTests.Support;

namespace Advisor.IntegrationTests;

/// <summary>
/// `monitor`: a process watched interval after interval, each finding logged when it is raised and when it
/// clears; stopping the watch leaves the process running untouched.
/// </summary>
public sealed class MonitorTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("advisor-monitor-");

    public void Dispose() => _dir.Delete(recursive: true);

    private Process Writer(params string[] arguments) =>
        ProcessRunner.Start("dotnet", ["exec", RepoLayout.Sample("UnbufferedWriter"), "--path", Path.Combine(_dir.FullName, "steady.dat"), .. arguments]);

    private static Process Monitor(Process target, params string[] arguments) =>
        ProcessRunner.Start(RepoLayout.Tool, ["monitor", "-p", target.Id.ToString(CultureInfo.InvariantCulture), .. arguments]);

    [SkippableFact]
    public void Unbuffered_writes_are_raised_then_cleared_once_the_writer_buffers()
    {
        Privileges.RequireTracing();
        using var target = Writer("--run-for", "12", "--buffered-after", "5");
        try
        {
            using var tool = Monitor(target, "--interval", "1s");
            var output = tool.StandardOutput.ReadToEndAsync();
            tool.WaitForExit(TimeSpan.FromSeconds(60)).ShouldBeTrue("monitor did not stop when its target exited");
            tool.ExitCode.ShouldBe(0, tool.StandardError.ReadToEnd());
            var lines = output.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries);

            lines[0].ShouldContain($"watching pid {target.Id} UnbufferedWriter with the ");
            var raised = lines.ToList().FindIndex(l => l.Contains(" raised warning ADV002 unbuffered-writes ", StringComparison.Ordinal));
            var cleared = lines.ToList().FindIndex(l => l.Contains(" cleared ADV002 unbuffered-writes ", StringComparison.Ordinal));
            raised.ShouldBeGreaterThan(0, output.Result);
            cleared.ShouldBeGreaterThan(raised, output.Result);
            lines[raised].ShouldContain("steady.dat from Program.Steady");
            lines.ShouldNotContain(l => l.Contains(" raised ", StringComparison.Ordinal) && !l.Contains("ADV002", StringComparison.Ordinal), output.Result);
            lines[^1].ShouldContain("stopped (the process exited)");
            lines[^1].ShouldEndWith("0 findings active");
        }
        finally
        {
            Stop(target);
        }
    }

    [SkippableTheory]
    [InlineData(2)] // SIGINT
    [InlineData(15)] // SIGTERM
    public void A_signal_ends_the_watch_with_a_last_judgement_and_leaves_the_target_untouched(int signal)
    {
        Privileges.RequireTracing();
        using var target = Writer("--run-for", "60");
        try
        {
            using var tool = Monitor(target, "--interval", "30s");
            var first = tool.StandardOutput.ReadLine(); // written once attached
            first.ShouldNotBeNull().ShouldContain("watching pid");
            var output = tool.StandardOutput.ReadToEndAsync();
            Thread.Sleep(2_000);
            Kill(tool.Id, signal);

            tool.WaitForExit(TimeSpan.FromSeconds(20)).ShouldBeTrue("monitor did not stop on the signal");
            tool.ExitCode.ShouldBe(0, tool.StandardError.ReadToEnd());
            var lines = output.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            lines.ShouldContain(l => l.Contains(" raised warning ADV002 ", StringComparison.Ordinal), output.Result); // the partial interval was judged
            lines[^1].ShouldContain("stopped (interrupted)");
            target.HasExited.ShouldBeFalse();
            TargetThreads.ShouldBeUntouched(target.Id, $"after signal {signal}");
            LoadedBpf.ShouldHaveNoneOfTheTools($"after signal {signal}");
        }
        finally
        {
            Stop(target);
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
