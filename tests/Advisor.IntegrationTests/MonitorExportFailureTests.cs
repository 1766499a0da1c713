using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Advisor.IntegrationTests.Support;
using Advisor.UnitTests.Reports.Otlp;

namespace Advisor.IntegrationTests;

/// <summary>
/// `monitor` whose collectors fail: an OTLP endpoint that refuses, one that accepts and never answers, one that comes
/// back; a Prometheus endpoint nobody scrapes. The windows go on being judged on time (counted from `--prometheus`,
/// <see cref="JudgedWindows"/>), and the failure is said once, the recovery once.
/// </summary>
public sealed partial class MonitorExportFailureTests : IDisposable
{
    /// <summary>How long any one awaited line may take: attaching takes seconds on a loaded machine, exports time out at 5 s.</summary>
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(90);

    /// <summary>
    /// Ten 1 s windows in 30 s: a third of the pace, room for a loaded machine. A loop that waited for each export
    /// (5 s against a collector that never answers) would need a minute.
    /// </summary>
    private const int Windows = 10;

    private static readonly TimeSpan WindowsBound = TimeSpan.FromSeconds(30);

    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("advisor-monitor-export-");

    public void Dispose() => _dir.Delete(recursive: true);

    /// <summary>A steady writer: unbuffered (ADV002 raised, so a log record is exported too) or, with --fixed, buffered (nothing raised).</summary>
    private Process Writer(params string[] arguments) =>
        ProcessRunner.Start("dotnet", ["exec", RepoLayout.Sample("UnbufferedWriter"), "--path", Path.Combine(_dir.FullName, "steady.dat"), "--run-for", "180", .. arguments]);

    [SkippableFact]
    public void A_collector_that_refuses_is_said_once_and_the_windows_go_on_being_judged_on_time()
    {
        Privileges.RequireTracing();
        var otlp = $"http://127.0.0.1:{OtlpReceiver.FreePort()}";
        using var target = Writer();
        using var watch = new Watch(target, otlp);
        try
        {
            watch.Until(l => l.Contains($" OTLP export to {otlp}/v1/metrics failing: Connection refused", StringComparison.Ordinal), "the refused export was not said");
            watch.Windows.WaitFor(Windows, WindowsBound, watch.Output);

            watch.HasExited.ShouldBeFalse(watch.Output());
            watch.Stop();
            FailuresSaidOnce(watch, otlp);
            watch.Lines.ShouldNotContain(l => l.Contains(" recovered ", StringComparison.Ordinal), watch.Output());
        }
        finally
        {
            Stop(target);
        }
    }

    [SkippableFact]
    public void A_collector_that_never_answers_is_said_once_and_the_windows_go_on_being_judged_on_time()
    {
        Privileges.RequireTracing();
        using var collector = new SilentCollector();
        using var target = Writer();
        using var watch = new Watch(target, collector.Url);
        try
        {
            watch.Until(l => l.Contains($" OTLP export to {collector.Url}/v1/metrics failing: no answer in 5 s", StringComparison.Ordinal), "the export that timed out was not said");
            watch.Windows.WaitFor(Windows, WindowsBound, watch.Output);
            watch.Windows.WaitFor(Windows, WindowsBound, watch.Output); // and still, with exports piling timeouts behind them

            watch.HasExited.ShouldBeFalse(watch.Output());
            collector.Accepted.ShouldBeGreaterThan(1);
            watch.Stop();
            FailuresSaidOnce(watch, collector.Url);
        }
        finally
        {
            Stop(target);
        }
    }

    [SkippableFact]
    public void A_collector_that_comes_back_is_said_once_and_gets_the_metrics_again()
    {
        Privileges.RequireTracing();
        var port = OtlpReceiver.FreePort();
        var otlp = $"http://127.0.0.1:{port}";
        var metrics = $"{otlp}/v1/metrics";
        using var target = Writer("--fixed");
        using var watch = new Watch(target, otlp);
        try
        {
            watch.Until(l => l.Contains($" OTLP export to {metrics} failing: ", StringComparison.Ordinal), "the refused export was not said");
            watch.Windows.WaitFor(3, WindowsBound, watch.Output);

            using var receiver = new OtlpReceiver(port);
            watch.Until(l => l.Contains($" OTLP export to {metrics} recovered after ", StringComparison.Ordinal), "the recovery was not said");
            receiver.WaitForMetricRequests(1);
            receiver.Points.ShouldContain(
                p => p.Name == "dotnet_advisor_syscalls_total" && Equals(p.Attribute("pid"), (long)target.Id) && Equals(p.Attribute("syscall"), "pwrite64"), watch.Output());
            watch.Windows.WaitFor(3, WindowsBound, watch.Output);
            watch.Stop();

            watch.Lines.Count(l => l.Contains($" OTLP export to {metrics} failing: ", StringComparison.Ordinal)).ShouldBe(1, watch.Output());
            var recovered = watch.Lines.Where(l => l.Contains($" OTLP export to {metrics} recovered ", StringComparison.Ordinal)).ShouldHaveSingleItem(watch.Output());
            var dropped = RecoveredLine().Match(recovered);
            dropped.Success.ShouldBeTrue(recovered);
            int.Parse(dropped.Groups[1].Value, NumberStyles.AllowThousands, CultureInfo.InvariantCulture).ShouldBeGreaterThan(0, recovered);
            receiver.Refused.ShouldBeEmpty();
        }
        finally
        {
            Stop(target);
        }
    }

    /// <summary>Prometheus that never comes: the windows are judged all the same (the finding raised, then cleared).</summary>
    [SkippableFact]
    public void A_Prometheus_endpoint_nobody_scrapes_holds_nothing_up()
    {
        Privileges.RequireTracing();
        using var target = ProcessRunner.Start(
            "dotnet", ["exec", RepoLayout.Sample("UnbufferedWriter"), "--path", Path.Combine(_dir.FullName, "steady.dat"), "--run-for", "12", "--buffered-after", "5"]);
        try
        {
            var tool = ProcessRunner.Run(
                RepoLayout.Tool,
                ["monitor", "-p", target.Id.ToString(CultureInfo.InvariantCulture), "--interval", "1s", "--prometheus", $"127.0.0.1:{FreePort.Find()}"],
                TimeSpan.FromSeconds(60));

            tool.ExitCode.ShouldBe(0, tool.Stderr);
            var lines = tool.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList();
            var raised = lines.FindIndex(l => l.Contains(" raised warning ADV002 unbuffered-writes ", StringComparison.Ordinal));
            raised.ShouldBeGreaterThan(0, tool.Stdout);
            lines.FindIndex(l => l.Contains(" cleared ADV002 unbuffered-writes ", StringComparison.Ordinal)).ShouldBeGreaterThan(raised, tool.Stdout);
            lines[^1].ShouldContain("stopped (the process exited)");
        }
        finally
        {
            Stop(target);
        }
    }

    /// <summary>One failing line per endpoint at most (the metrics', at every interval, exactly one), the last line the stop's.</summary>
    private static void FailuresSaidOnce(Watch watch, string otlp)
    {
        watch.Lines.Count(l => l.Contains($" OTLP export to {otlp}/v1/metrics failing: ", StringComparison.Ordinal)).ShouldBe(1, watch.Output());
        watch.Lines.Count(l => l.Contains($" OTLP export to {otlp}/v1/logs failing: ", StringComparison.Ordinal)).ShouldBeLessThanOrEqualTo(1, watch.Output());
        watch.Lines.Count(l => l.Contains(" OTLP export to ", StringComparison.Ordinal)).ShouldBeLessThanOrEqualTo(2, watch.Output());
        watch.Lines.Last().ShouldContain("stopped (interrupted)");
    }

    private static void Stop(Process target)
    {
        if (!target.HasExited)
        {
            target.Kill();
            target.WaitForExit();
        }
    }

    [GeneratedRegex(@"recovered after [0-9.]+ s: ([0-9,]+) exports? failed meanwhile")]
    private static partial Regex RecoveredLine();

    /// <summary>`monitor -p` of the target at 1 s intervals, sending to <c>otlp</c> and serving Prometheus to count its windows; its lines as they come.</summary>
    private sealed class Watch : IDisposable
    {
        private readonly Process _tool;
        private readonly ConcurrentQueue<string> _lines = new();
        private readonly Task<string> _stderr;

        public Watch(Process target, string otlp)
        {
            var port = FreePort.Find();
            _tool = ProcessRunner.Start(
                RepoLayout.Tool,
                ["monitor", "-p", target.Id.ToString(CultureInfo.InvariantCulture), "--interval", "1s", "--prometheus", $"127.0.0.1:{port}", "--otlp", otlp]);
            _tool.OutputDataReceived += (_, e) =>
            {
                if (e.Data is { } line)
                {
                    _lines.Enqueue(line);
                }
            };
            _tool.BeginOutputReadLine();
            _stderr = _tool.StandardError.ReadToEndAsync();
            Windows = new JudgedWindows(port, target.Id);
        }

        public JudgedWindows Windows { get; }

        public IReadOnlyList<string> Lines => [.. _lines];

        public bool HasExited => _tool.HasExited;

        public string Output() => string.Join('\n', _lines);

        public void Until(Func<string, bool> seen, string failure)
        {
            var clock = Stopwatch.StartNew();
            while (!_lines.Any(seen))
            {
                clock.Elapsed.ShouldBeLessThan(Bound, $"{failure}:\n{Output()}");
                _tool.HasExited.ShouldBeFalse($"monitor exited: {failure}:\n{Output()}");
                Thread.Sleep(100);
            }
        }

        /// <summary>SIGTERM, as a service manager stops it: exit 0 with its last line, the last export's wait bounded.</summary>
        public void Stop()
        {
            Process.Start("kill", ["-TERM", _tool.Id.ToString(CultureInfo.InvariantCulture)])!.WaitForExit();
            _tool.WaitForExit(Bound).ShouldBeTrue($"monitor did not stop on SIGTERM:\n{Output()}");
            _tool.WaitForExit(); // the output's end
            _tool.ExitCode.ShouldBe(0, _stderr.Result);
        }

        public void Dispose()
        {
            if (!_tool.HasExited)
            {
                _tool.Kill();
                _tool.WaitForExit();
            }

            _tool.Dispose();
            Windows.Dispose();
        }
    }
}
