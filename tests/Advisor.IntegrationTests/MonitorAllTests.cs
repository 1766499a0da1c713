using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Advisor.IntegrationTests.Support;
using Xunit.Abstractions;

namespace Advisor.IntegrationTests;

/// <summary>`monitor --all`: every .NET process, picked up as it starts and let go of when it exits.</summary>
public sealed class MonitorAllTests(ITestOutputHelper output) : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("advisor-monitor-all-");

    public void Dispose() => _dir.Delete(recursive: true);

    [SkippableFact]
    public void A_process_started_after_the_watch_is_picked_up_judged_and_dropped_when_it_exits()
    {
        Privileges.RequireTracing();
        output.WriteLine(HostBackend.Description);
        var backend = HostBackend.Name;

        // The tool and its target run as a user of their own, so the watch sees only what this test started.
        var since = LoadedBpf.BootNs();
        using var tool = LoneUser.Start(_dir, RepoLayout.Tool, ["monitor", "--all", "--interval", "1s"], LoneUser.TracingCapabilities);
        var lines = new ConcurrentQueue<string>();
        tool.OutputDataReceived += (_, e) =>
        {
            if (e.Data is { } line)
            {
                lines.Enqueue(line);
            }
        };
        tool.BeginOutputReadLine();
        Process? target = null;
        try
        {
            Until(lines, l => l.Contains("watching every .NET process", StringComparison.Ordinal), "monitor --all did not start");
            var start = Path.Combine(_dir.FullName, "start");
            target = LoneUser.Start(_dir, "dotnet", ["exec", RepoLayout.Sample("UnbufferedWriter"), "--path", Path.Combine(_dir.FullName, "steady.dat"), "--run-for", "6", "--start-after", start]);
            var pid = target.Id.ToString(CultureInfo.InvariantCulture); // setpriv execs: the pid is the sample's

            Until(lines, l => l.Contains($" watching pid {pid} UnbufferedWriter with the {backend} backend", StringComparison.Ordinal), "the new process was not picked up");
            File.WriteAllText(start, ""); // its 6 s of writes start now, watched
            lines.Where(l => l.Contains(" watching pid ", StringComparison.Ordinal) && !l.Contains(" not watching pid ", StringComparison.Ordinal)).ShouldHaveSingleItem($"only the test's process is watched:\n{string.Join('\n', lines)}");
            if (backend == "bpf")
            {
                // One ring per watched process, a quarter of profile's (bench/RESULTS.md, "Where monitor's memory goes").
                var rings = BpfRings.SizesIn(tool.Id);
                rings.ShouldNotBeEmpty();
                rings.ShouldAllBe(size => size == 4L << 20);
            }

            Until(lines, l => l.Contains(" raised warning ADV002 unbuffered-writes ", StringComparison.Ordinal) && l.Contains($"pid {pid} ", StringComparison.Ordinal), "its finding was not raised");
            target.WaitForExit(TimeSpan.FromSeconds(60)).ShouldBeTrue("the sample did not finish");
            Until(lines, l => l.Contains($" stopped watching pid {pid} UnbufferedWriter (the process exited): ", StringComparison.Ordinal), "the exited process was not dropped");
            lines.ShouldContain(l => l.Contains($" cleared ADV002 unbuffered-writes pid {pid} ", StringComparison.Ordinal), string.Join('\n', lines));

            Process.Start("kill", ["-INT", tool.Id.ToString(CultureInfo.InvariantCulture)])!.WaitForExit();
            tool.WaitForExit(ToolTracing.StopLimit).ShouldBeTrue("monitor --all did not stop on SIGINT");
            tool.WaitForExit(); // the output's end
            tool.ExitCode.ShouldBe(0, tool.StandardError.ReadToEnd());
            lines.Last().ShouldContain("stopped (interrupted)");
            if (backend == "bpf")
            {
                LoadedBpf.ShouldHaveNoneLeftSince(since, "after monitor --all");
            }
        }
        finally
        {
            foreach (var process in new[] { tool, target })
            {
                if (process is { HasExited: false })
                {
                    process.Kill();
                    process.WaitForExit();
                }
            }

            target?.Dispose();
        }
    }

    private static void Until(ConcurrentQueue<string> lines, Func<string, bool> seen, string failure)
    {
        var clock = Stopwatch.StartNew();
        while (!lines.Any(seen))
        {
            clock.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(60), $"{failure}:\n{string.Join('\n', lines)}");
            Thread.Sleep(200);
        }
    }
}
