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

    private string Steady => Path.Combine(_dir.FullName, "steady.dat");

    /// <summary>The writer's start gate: created once the watch is on.</summary>
    private string Start => Path.Combine(_dir.FullName, "start");

    private Process Writer(params string[] arguments) =>
        ProcessRunner.Start("dotnet", ["exec", RepoLayout.Sample("UnbufferedWriter"), "--path", Steady, .. arguments]);

    private static Process Monitor(Process target, params string[] arguments) =>
        ProcessRunner.Start(RepoLayout.Tool, ["monitor", "-p", target.Id.ToString(CultureInfo.InvariantCulture), .. arguments]);

    [SkippableFact]
    public void Unbuffered_writes_are_raised_then_cleared_once_the_writer_buffers()
    {
        Privileges.RequireTracing();
        using var target = Writer("--run-for", "12", "--buffered-after", "5", "--start-after", Start);
        try
        {
            using var tool = Monitor(target, "--interval", "1s");
            var first = tool.StandardOutput.ReadLine(); // written once attached
            File.WriteAllText(Start, ""); // the writer's clock starts now, watched: 5 s unbuffered, then 7 s buffered
            var output = tool.StandardOutput.ReadToEndAsync();
            tool.WaitForExit(TimeSpan.FromSeconds(60)).ShouldBeTrue("monitor did not stop when its target exited");
            tool.ExitCode.ShouldBe(0, tool.StandardError.ReadToEnd());
            var lines = output.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries).Prepend(first.ShouldNotBeNull()).ToArray();

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
        using var target = Writer("--run-for", "600"); // stopped by the test
        try
        {
            var since = LoadedBpf.BootNs();
            using var tool = Monitor(target, "--interval", "30s");
            var first = tool.StandardOutput.ReadLine(); // written once attached
            first.ShouldNotBeNull().ShouldContain("watching pid");
            first.ShouldContain("recording 1 s and judging every 30 s"); // the default window (docs/monitor.md)
            var output = tool.StandardOutput.ReadToEndAsync();
            FirstWindowRecorded(tool, first);
            Kill(tool.Id, signal);

            tool.WaitForExit(ToolTracing.StopLimit).ShouldBeTrue("monitor did not stop on the signal");
            tool.ExitCode.ShouldBe(0, tool.StandardError.ReadToEnd());
            var lines = output.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            lines.ShouldContain(l => l.Contains(" raised warning ADV002 ", StringComparison.Ordinal), output.Result); // the partial interval was judged
            lines[^1].ShouldContain("stopped (interrupted)");
            target.HasExited.ShouldBeFalse();
            TargetThreads.ShouldBeUntouched(target.Id, $"after signal {signal}");
            LoadedBpf.ShouldHaveNoneLeftSince(since, $"after signal {signal}");
        }
        finally
        {
            Stop(target);
        }
    }

    /// <summary>
    /// Waits until the first window recorded the writer's calls: with bpf, until it closed (sys_enter detached); with
    /// perf, whose pause shows nowhere, until the writer wrote 20,000 records (two of its batches) since the attach.
    /// </summary>
    private void FirstWindowRecorded(Process tool, string first)
    {
        if (first.Contains(" with the bpf backend", StringComparison.Ordinal))
        {
            TargetThreads.Until(() => !ToolTracing.InBpfWindow(tool), "the first window did not end");
            return;
        }

        WrittenRecords.WaitFor(Steady, WrittenRecords.In(Steady) + 20_000, "while watched");
    }

    [SkippableFact]
    public void A_real_Prometheus_scraping_monitor_sees_the_finding_at_1_the_pwrite64_counter_grow_and_the_finding_clear_to_0()
    {
        Privileges.RequireTracing();
        Privileges.RequireTool("prometheus");
        var (monitorPort, prometheusPort) = (FreePort.Find(), FreePort.Find());
        var config = Path.Combine(_dir.FullName, "prometheus.yml");
        File.WriteAllText(config, $$"""
            global:
              scrape_interval: 1s
            scrape_configs:
              - job_name: advisor
                static_configs:
                  - targets: ["127.0.0.1:{{monitorPort}}"]
            """);
        using var target = Writer("--run-for", "40", "--buffered-after", "15", "--start-after", Start);
        using var tool = Monitor(target, "--interval", "1s", "--prometheus", $"127.0.0.1:{monitorPort}");
        using var prometheus = ProcessRunner.Start("prometheus", [
            $"--config.file={config}", $"--storage.tsdb.path={Path.Combine(_dir.FullName, "tsdb")}", $"--web.listen-address=127.0.0.1:{prometheusPort}"]);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        try
        {
            // The writer's 15 unbuffered seconds start once Prometheus scrapes the monitor, however long both took to start.
            Until(() => Query(http, prometheusPort, "up{job=\"advisor\"}") == 1, "Prometheus never scraped the monitor");
            File.WriteAllText(Start, "");
            var finding = $"dotnet_advisor_findings{{rule=\"ADV002\",pid=\"{target.Id}\"}}";
            var writes = $"dotnet_advisor_syscalls_total{{syscall=\"pwrite64\",pid=\"{target.Id}\"}}";
            Until(() => Query(http, prometheusPort, finding) == 1, "Prometheus never saw the ADV002 finding at 1");
            var before = Query(http, prometheusPort, writes);
            Until(() => Query(http, prometheusPort, writes) > before, "the pwrite64 counter did not grow");
            before.ShouldNotBeNull().ShouldBeGreaterThan(1_000);
            Until(() => Query(http, prometheusPort, finding) == 0, "the finding did not clear to 0 after the sample switched to buffered writes");
        }
        finally
        {
            foreach (var process in new[] { prometheus, tool, target })
            {
                Stop(process);
            }
        }
    }

    [Fact]
    public void A_prometheus_port_in_use_is_one_line_and_exit_2_before_anything_is_attached()
    {
        using var taken = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        taken.Start();
        var port = ((System.Net.IPEndPoint)taken.LocalEndpoint).Port;

        var result = ProcessRunner.Advisor("monitor", "-p", Environment.ProcessId.ToString(CultureInfo.InvariantCulture), "--prometheus", $"127.0.0.1:{port}");

        result.ExitCode.ShouldBe(2, result.Stderr);
        result.Stderr.Trim().Split('\n').ShouldHaveSingleItem().ShouldStartWith($"dotnet-advisor: --prometheus: cannot listen on 127.0.0.1:{port}: ");
        result.Stdout.ShouldBeEmpty();
    }

    /// <summary>The value of an instant query's one series, or null while Prometheus has none.</summary>
    private static double? Query(HttpClient http, int port, string query)
    {
        try
        {
            var json = http.GetStringAsync(new Uri($"http://127.0.0.1:{port}/api/v1/query?query={Uri.EscapeDataString(query)}")).GetAwaiter().GetResult();
            using var document = System.Text.Json.JsonDocument.Parse(json);
            var result = document.RootElement.GetProperty("data").GetProperty("result");
            return result.GetArrayLength() == 1
                ? double.Parse(result[0].GetProperty("value")[1].GetString()!, CultureInfo.InvariantCulture)
                : null;
        }
        catch (HttpRequestException)
        {
            return null; // Prometheus is still starting
        }
        catch (TaskCanceledException)
        {
            return null;
        }
    }

    private static void Until(Func<bool> condition, string failure)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            clock.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(60), failure);
            Thread.Sleep(250);
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
