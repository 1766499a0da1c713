using System.Globalization;
using Advisor.IntegrationTests.Support;

namespace Advisor.IntegrationTests;

/// <summary>
/// `monitor` judges the runtime's own events with each interval's calls: lock contention (ADV004), and with
/// `--pool-events` thread-pool starvation (ADV005), are raised from a watch as from a recording; their fixed twins raise nothing.
/// </summary>
public sealed class MonitorRuntimeRulesTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("advisor-monitor-runtime-");

    public void Dispose() => _dir.Delete(recursive: true);

    public static TheoryData<string, string, string, string> Cases => new()
    {
        // sample, its arguments, monitor's own, the rule raised ("" for none); each runs for several intervals
        { "LockContention", "--count 800000", "", "ADV004" },
        { "LockContention", "--count 800000 --fixed", "", "" },
        { "Scenarios", "--scenario sync-over-async --count 60", "--pool-events", "ADV005" },
        { "Scenarios", "--scenario sync-over-async --count 60 --fixed", "--pool-events", "" },
        { "Scenarios", "--scenario sync-over-async --count 60", "", "" }, // without the pool's events, not judged
    };

    [SkippableTheory]
    [MemberData(nameof(Cases))]
    public void Runtime_rules_are_raised_from_a_watch(string sample, string arguments, string monitorArguments, string expected)
    {
        Privileges.RequireTracing();
        var start = Path.Combine(_dir.FullName, "start");
        using var target = ProcessRunner.Start("dotnet", ["exec", RepoLayout.Sample(sample), .. arguments.Split(' '), "--start-after", start]);
        try
        {
            // Windows of 2 s in 3 s intervals: the runtime's events are judged over the recorded window, as the calls.
            using var tool = ProcessRunner.Start(RepoLayout.Tool, ["monitor", "-p", target.Id.ToString(CultureInfo.InvariantCulture), "--interval", "3s", "--record-for", "2s", .. monitorArguments.Split(' ', StringSplitOptions.RemoveEmptyEntries)]);
            tool.StandardOutput.ReadLine().ShouldNotBeNull().ShouldContain("watching pid");
            var output = tool.StandardOutput.ReadToEndAsync();
            File.WriteAllText(start, "");
            tool.WaitForExit(TimeSpan.FromSeconds(120)).ShouldBeTrue("monitor did not stop when its target exited");
            tool.ExitCode.ShouldBe(0, tool.StandardError.ReadToEnd());

            var raised = output.Result.Split('\n').Where(l => l.Contains(" raised ", StringComparison.Ordinal)).ToList();
            if (expected.Length == 0)
            {
                raised.ShouldBeEmpty(output.Result);
            }
            else
            {
                raised.ShouldNotBeEmpty(output.Result);
                raised.ShouldAllBe(l => l.Contains($" {expected} ", StringComparison.Ordinal), output.Result);
            }
        }
        finally
        {
            if (!target.HasExited)
            {
                target.Kill();
                target.WaitForExit();
            }
        }
    }
}
