using System.CommandLine;
using System.Globalization;
using Advisor.Cli.Commands;
using Advisor.Cli.Output.Monitor;
using Advisor.Core.Failures;
using Advisor.Core.Findings;
using Advisor.Core.Monitoring;
using Advisor.UnitTests.Aggregation;

namespace Advisor.UnitTests.Monitoring;

/// <summary>
/// monitor's outputs come from one list: an output that exists only in this test, added with one line, gets its
/// option on the command, its check, and every judged interval and collection, after the log and in list order.
/// </summary>
public sealed class MonitorOutputsTests
{
    /// <summary>An output that keeps the last N intervals it was given (<c>--keep-last N</c>).</summary>
    private sealed class KeepLastOutput : IMonitorOutput
    {
        private readonly Option<string?> _count = new("--keep-last") { Description = "Keep the last N intervals." };

        public List<string> Seen { get; } = [];

        public IReadOnlyList<Option> Options => [_count];

        public MonitorOutputPlan? Bind(ParseResult result) => result.GetValue(_count) switch
        {
            null => null,
            var text when int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 => new Plan(this, n),
            var text => throw new AdvisorException(FailureKind.Usage, $"--keep-last '{text}' must be a whole number above 0"),
        };

        private sealed class Plan(KeepLastOutput output, int count) : MonitorOutputPlan
        {
            public override IMonitorExporter Start(MonitorOutputContext context) => new Kept(output, count, context.Log);
        }

        private sealed class Kept(KeepLastOutput output, int count, TextWriter log) : IMonitorExporter
        {
            public void Observe(IntervalOutcome interval)
            {
                log.WriteLine($"kept pid {interval.Pid}"); // after the log's own lines for the same interval
                output.Seen.Add($"interval {interval.Pid}");
                if (output.Seen.Count > count)
                {
                    output.Seen.RemoveAt(0);
                }
            }

            public void Collected(Collection collection) => output.Seen.Add($"collected {collection.Pid}");

            public void Dispose() => output.Seen.Add("disposed");
        }
    }

    private static IReadOnlyList<IMonitorOutput> WithTestOutput(KeepLastOutput test) => [.. MonitorOutputs.All, test];

    private static Finding Raised() => new(
        "ADV002", "unbuffered-writes", Severity.Warning, "t", "m", new Evidence { Syscalls = ["pwrite64"], Count = 10, Path = "/a.log" }, null, [], 5, 10, "", [])
    {
        Process = new ProcessRef(10, "app"),
    };

    private static IntervalOutcome Outcome(int pid)
    {
        var finding = Raised();
        var syscalls = new SyscallStream().File(3, "/a.log").Aggregator.Snapshot(SyscallStream.OriginNs + SyscallStream.Second);
        return new IntervalOutcome(pid, "app", syscalls, [finding], [new FindingTransition(FindingChange.Raised, finding, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch)], 0, false);
    }

    [Fact]
    public void An_output_added_to_the_list_puts_its_option_on_the_command()
    {
        var test = new KeepLastOutput();

        var command = MonitorCommand.Create(WithTestOutput(test));

        command.Options.Select(o => o.Name).ShouldContain("--keep-last");
        MonitorCommand.Create().Options.Select(o => o.Name).ShouldNotContain("--keep-last");
    }

    [Fact]
    public void An_output_not_asked_for_is_not_bound_and_a_bad_value_is_a_usage_error()
    {
        var test = new KeepLastOutput();
        var command = MonitorCommand.Create(WithTestOutput(test));

        var plans = MonitorOutputs.Bind(command.Parse(["-p", "1"]), WithTestOutput(test));
        var bad = Should.Throw<AdvisorException>(() => MonitorOutputs.Bind(command.Parse(["-p", "1", "--keep-last", "none"]), WithTestOutput(test)));

        plans.Count.ShouldBe(1); // the log alone, always on
        bad.Kind.ShouldBe(FailureKind.Usage);
        bad.Message.ShouldContain("--keep-last 'none'");
    }

    [Fact]
    public void A_started_output_gets_every_interval_after_the_log_and_is_disposed_with_the_others()
    {
        var test = new KeepLastOutput();
        var outputs = WithTestOutput(test);
        var command = MonitorCommand.Create(outputs);
        using var log = new StringWriter();
        var exporters = new MonitorExporters(MonitorOutputs.Bind(command.Parse(["-p", "1", "--keep-last", "2"]), outputs));

        exporters.Open();
        exporters.Start(new MonitorOutputContext(log, TimeSpan.FromSeconds(10), "0.0.0-test"));
        exporters.Observe(Outcome(10));
        exporters.Observe(Outcome(11));
        exporters.Observe(Outcome(12));
        exporters.Collected(new Collection(12, "app", CollectionKind.Recording, "ADV002", ["/tmp/a.advisor"], DateTimeOffset.UnixEpoch));
        exporters.Dispose();

        test.Seen.ShouldBe(["interval 11", "interval 12", "collected 12", "disposed"]);
        var lines = log.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.Length.ShouldBe(6);
        lines[0].ShouldContain("raised warning ADV002");
        lines[1].ShouldBe("kept pid 10");
    }
}
