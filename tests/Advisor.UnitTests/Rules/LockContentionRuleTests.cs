using Advisor.Core.Events;
using Advisor.Core.Findings;
using Advisor.Core.Rules;
using Advisor.Core.Stacks;
using Advisor.UnitTests.Aggregation;

namespace Advisor.UnitTests.Rules;

/// <summary>ADV004 over the runtime's contention events, grouped by the place threads waited.</summary>
public class LockContentionRuleTests
{
    private const long Ms = 1_000_000;

    private static readonly RuleCatalog Catalog = RuleCatalog.BuiltIn();

    // Frames as the symbolizer below names them: 0xA0 = the lock's slow path, 0xB0.. = callers.
    private static readonly Dictionary<ulong, StackFrame> Names = new()
    {
        [0xA0] = new("System.Threading.Monitor.Enter_Slowpath", FrameKind.Framework),
        [0xA1] = new("System.Threading.Monitor.Enter", FrameKind.Framework),
        [0xB0] = new("MyApp.Cache.Get", FrameKind.User),
        [0xB1] = new("MyApp.Stats.Count", FrameKind.User),
        [0xC0] = new("System.Collections.Generic.Dictionary`2.TryInsert", FrameKind.Framework),
        [0xD0] = new("StackExchange.Redis.PhysicalConnection.CommitAndParseFrames", FrameKind.Library),
        [0xD1] = new("StackExchange.Redis.PhysicalConnection+<ReadFromPipe>d__12.MoveNext", FrameKind.Library),
        [0xD2] = new("NLog.Targets.FileTarget.Write", FrameKind.Library),
    };

    private readonly RuntimeStream _s = new();

    public LockContentionRuleTests() => _s.Syscalls.Thread(21, ".NET TP Worker").Thread(22, ".NET TP Worker");

    private void Contend(int times, int tid, long waitNs, params ulong[] stack)
    {
        for (var i = 0; i < times; i++)
        {
            _s.Emit(RuntimeEventKind.ContentionStart, tid, i, stack: stack);
            _s.Emit(RuntimeEventKind.ContentionStop, tid, i, waitNs);
        }
    }

    private IReadOnlyList<Finding> Run()
    {
        _s.Syscalls.Call(21, "futex", 0, 1_000, 0);
        _s.Syscalls.Call(22, "futex", 0, 1_000, 0);
        return RuleEngine.Run(Catalog, _s.Joined(Names));
    }

    [Fact]
    public void Threads_waiting_long_at_one_lock_are_one_ADV004_finding_naming_the_site()
    {
        Contend(20, 21, 5 * Ms, 0xA0, 0xA1, 0xB0);
        Contend(20, 22, 5 * Ms, 0xA0, 0xA1, 0xB0);

        var finding = Run().ShouldHaveSingleItem();

        finding.RuleId.ShouldBe("ADV004");
        finding.Evidence.Count.ShouldBe(40);
        finding.Evidence.TotalTimeMs.ShouldBe(200, 1e-9);
        finding.Evidence.Threads.Select(t => t.Tid).Order().ShouldBe([21, 22]);
        finding.Message.ShouldBe("40 contended acquisitions, 200 ms waited, at MyApp.Cache.Get → Monitor.Enter [.NET TP Worker ×2]");
        finding.Stacks.ShouldHaveSingleItem().Frames.ShouldContain("MyApp.Cache.Get");
        finding.BlockedMs.ShouldNotBeNull().ShouldBe(200, 1e-9);
        finding.EstimatedSavingMs.ShouldBe(0, 1e-9);
        finding.Advice[0].Text.ShouldContain("Hold the lock for less");
    }

    [Fact]
    public void A_libraries_own_lock_that_no_waiter_reached_from_the_applications_code_is_information_naming_the_library()
    {
        Contend(20, 21, 5 * Ms, 0xA0, 0xA1, 0xD0, 0xD1);
        Contend(20, 22, 5 * Ms, 0xA0, 0xA1, 0xD0, 0xD1);

        var finding = Run().ShouldHaveSingleItem();

        finding.Severity.ShouldBe(Severity.Info);
        finding.Message.ShouldEndWith(" — a lock inside StackExchange.Redis, no waiter came from your code");
    }

    [Fact]
    public void A_libraries_lock_the_applications_calls_wait_on_stays_a_warning()
    {
        Contend(20, 21, 5 * Ms, 0xA0, 0xA1, 0xD2, 0xB0);
        Contend(20, 22, 5 * Ms, 0xA0, 0xA1, 0xD2, 0xB0);

        Run().ShouldHaveSingleItem().Severity.ShouldBe(Severity.Warning);
    }

    [Fact]
    public void Each_lock_site_is_judged_on_its_own()
    {
        Contend(40, 21, 5 * Ms, 0xA0, 0xA1, 0xB0);
        Contend(3, 22, 5 * Ms, 0xA0, 0xA1, 0xB1);

        Run().ShouldHaveSingleItem().Message.ShouldContain("MyApp.Cache.Get");
    }

    [Fact]
    public void Few_or_short_waits_are_not_a_finding()
    {
        Contend(5, 21, 50 * Ms, 0xA0, 0xA1, 0xB0);
        Contend(500, 22, 1_000, 0xA0, 0xA1, 0xB1);

        Run().ShouldBeEmpty();
    }

    [Fact]
    public void A_lock_around_a_collection_gets_the_concurrent_collection_advice_first()
    {
        Contend(40, 21, 5 * Ms, 0xA0, 0xA1, 0xB0, 0xC0);

        Run().ShouldHaveSingleItem().Advice[0].Text.ShouldContain("ConcurrentDictionary");
    }

}
