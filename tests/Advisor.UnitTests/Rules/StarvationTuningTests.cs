using Advisor.Core.Events;
using Advisor.Core.Hang;
using Advisor.Core.Hang.Verdicts;
using Advisor.Core.Rules;
using Advisor.Core.Rules.Configuration;
using Advisor.Core.Stacks;
using Advisor.UnitTests.Aggregation;
using Advisor.UnitTests.Hang;

namespace Advisor.UnitTests.Rules;

/// <summary>
/// ADV005 is decided over recordings by its condition and in hang triage by the starved-pool analyser: one
/// rule file, one set of thresholds, so what a user tunes in advisor.yaml holds for both.
/// </summary>
public class StarvationTuningTests
{
    private const long Ms = 1_000_000;
    private const int Workers = 6;

    private static readonly RuleCatalog Defaults = RuleCatalog.BuiltIn();

    private static readonly Dictionary<ulong, StackFrame> Names = new()
    {
        [0xA1] = new("System.Threading.Tasks.Task.Wait", FrameKind.Framework),
        [0xB0] = new("MyApp.Handler.Get", FrameKind.User),
        [0xC0] = new("System.Threading.PortableThreadPool+WorkerThread.WorkerThreadStart", FrameKind.Framework),
    };

    private static RuleCatalog Tuned(string thresholds) =>
        Defaults.Apply(ConfigLoader.Load($"rules:\n  ADV005:\n    thresholds: {{ {thresholds} }}\n", "advisor.yaml", "/tmp"));

    /// <summary>A recording: the pool grew well past the cores, and 3 of its workers blocked in Task.Wait the whole second.</summary>
    private static IEnumerable<string> Recorded(RuleCatalog rules)
    {
        var s = new RuntimeStream();
        var workers = Environment.ProcessorCount + 10;
        for (var w = 0; w < workers; w++)
        {
            s.Emit(RuntimeEventKind.ThreadPoolWorkerStart, 100 + w, value: w + 1);
            s.Syscalls.Thread(100 + w, ".NET TP Worker");
            s.Syscalls.Call(100 + w, "futex", 0, 1_000, 0);
        }

        for (var w = 0; w < 3; w++)
        {
            s.Emit(RuntimeEventKind.WaitStart, 100 + w, 0, stack: [0xA1, 0xB0, 0xC0]);
            s.Emit(RuntimeEventKind.WaitStop, 100 + w, 1_000 * Ms);
        }

        return RuleEngine.Run(rules, s.Joined(Names)).Select(f => f.RuleId);
    }

    /// <summary>A triage: all of a pool of 6 blocked in Task.Wait inside work items.</summary>
    private static VerdictKind Triaged(RuleCatalog rules)
    {
        var wait = PoolWorkerTests.Stack("System.Threading.Tasks.Task.Wait", "MyApp.Handler.Get", "System.Threading.ThreadPoolWorkQueue.Dispatch");
        var threads = Enumerable.Range(0, Workers)
            .Select(i => new HangThread(200 + i, ".NET TP Worker", Core.Threads.ThreadRole.ThreadPoolWorker, ThreadActivity.Blocked, 'S', "", "futex", null, null, 3_000, 0, wait))
            .ToList();
        var snapshot = new HangSnapshot(100, "myapp", "dotnet myapp.dll", 1_500, threads, new RuntimeState("10.0.0", [], [], Workers, 0, 2, null), []);
        return HangVerdicts.Analyse(snapshot, rules).Verdict.Kind;
    }

    [Fact]
    public void By_default_both_the_recording_and_the_triage_find_starvation()
    {
        Recorded(Defaults).ShouldBe(["ADV005"]);
        Triaged(Defaults).ShouldBe(VerdictKind.ThreadPoolStarvation);
    }

    [Fact]
    public void Raising_min_blocked_workers_in_advisor_yaml_silences_both()
    {
        var rules = Tuned("minBlockedWorkers: 8");

        Recorded(rules).ShouldBeEmpty();
        Triaged(rules).ShouldNotBe(VerdictKind.ThreadPoolStarvation);
    }

    [Fact]
    public void Lowering_min_blocked_workers_keeps_both()
    {
        var rules = Tuned("minBlockedWorkers: 2");

        Recorded(rules).ShouldBe(["ADV005"]);
        Triaged(rules).ShouldBe(VerdictKind.ThreadPoolStarvation);
    }

    [Fact]
    public void The_triage_only_share_is_read_from_the_rule_file_too()
    {
        Triaged(Tuned("minBlockedShare: 1.01")).ShouldNotBe(VerdictKind.ThreadPoolStarvation);
        Recorded(Tuned("minBlockedShare: 1.01")).ShouldBe(["ADV005"]);
    }
}
