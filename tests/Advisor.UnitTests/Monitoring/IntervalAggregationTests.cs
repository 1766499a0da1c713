using Advisor.Core.Aggregation;
using Advisor.Core.Events;
using Advisor.Core.Monitoring;
using Advisor.Core.Rules;
using Advisor.UnitTests.Aggregation;

namespace Advisor.UnitTests.Monitoring;

/// <summary>A watch that never ends, seen one interval at a time: each interval's calls, and only those.</summary>
public class IntervalAggregationTests
{
    private const int Pid = 10;
    private const long Second = SyscallStream.Second;
    private const long Origin = SyscallStream.OriginNs;

    private readonly FakeIntrospector _introspector = new();

    public IntervalAggregationTests() => _introspector.Fds[(Pid, 3)] = "/var/log/app.log";

    private IntervalAggregation Watch() => new(origin => new SyscallAggregator(SyscallStream.Catalog, _introspector, origin), Origin);

    private static void Write(ISyscallSink sink, long atNs, int times)
    {
        for (var i = 0; i < times; i++)
        {
            sink.OnSyscall(new SyscallEvent(Pid, Pid, SyscallStream.Nr("pwrite64"), atNs + i, 1_000, 16, 3, 0, 16));
        }
    }

    [Fact]
    public void Each_interval_holds_its_own_calls_and_the_totals_hold_them_all()
    {
        var watch = Watch();

        Write(watch, Origin + 1_000, 300);
        watch.OnLost(2);
        var first = watch.Rotate(Origin + (10 * Second));
        Write(watch, Origin + (11 * Second), 50);
        var second = watch.Rotate(Origin + (20 * Second));

        first.Rows.Sum(r => r.Stats.Count).ShouldBe(300);
        (first.StartNs, first.EndNs, first.LostEvents).ShouldBe((Origin, Origin + (10 * Second), 2L));
        second.Rows.Sum(r => r.Stats.Count).ShouldBe(50);
        (second.StartNs, second.EndNs, second.LostEvents).ShouldBe((Origin + (10 * Second), Origin + (20 * Second), 0L));
        (watch.EventsTotal, watch.LostEvents).ShouldBe((350L, 2L));
    }

    [Fact]
    public void The_rules_see_a_storm_in_the_interval_it_happens_and_not_after_it_stops()
    {
        var watch = Watch();
        var rules = RuleCatalog.BuiltIn();

        Write(watch, Origin + 1_000, 20_000);
        var storm = RuleEngine.Run(rules, new AggregateSnapshot(watch.Rotate(Origin + Second)));
        var quiet = RuleEngine.Run(rules, new AggregateSnapshot(watch.Rotate(Origin + (2 * Second))));

        storm.Select(f => f.RuleId).ShouldBe(["ADV002"]);
        quiet.ShouldBeEmpty();
    }

    [Fact]
    public async Task Calls_delivered_from_another_thread_while_rotating_land_in_exactly_one_interval()
    {
        var watch = Watch();
        const int Calls = 200_000;
        var writer = Task.Run(() => Write(watch, Origin + 1_000, Calls));
        long counted = 0;
        var now = Origin;
        while (!writer.IsCompleted)
        {
            now += Second;
            counted += watch.Rotate(now).Rows.Sum(r => r.Stats.Count);
        }

        await writer;
        counted += watch.Rotate(now + Second).Rows.Sum(r => r.Stats.Count);
        counted.ShouldBe(Calls);
    }
}
