using Advisor.Core.Events;
using Advisor.Core.Findings;
using Advisor.Core.Rules;
using Advisor.Core.Stacks;
using Advisor.UnitTests.Aggregation;

namespace Advisor.UnitTests.Rules;

/// <summary>ADV005 over the runtime's pool and wait events.</summary>
public class ThreadPoolStarvationRuleTests
{
    private const long Ms = 1_000_000;

    private static readonly RuleCatalog Catalog = RuleCatalog.BuiltIn();

    private static readonly Dictionary<ulong, StackFrame> Names = new()
    {
        [0xA0] = new("System.Threading.ManualResetEventSlim.Wait", FrameKind.Framework),
        [0xA1] = new("System.Threading.Tasks.Task.Wait", FrameKind.Framework),
        [0xB0] = new("MyApp.Handler.Get", FrameKind.User),
        [0xC0] = new("System.Threading.PortableThreadPool+WorkerThread.WorkerThreadStart", FrameKind.Framework),
    };

    private readonly RuntimeStream _s = new();

    private void Pool(int workers)
    {
        for (var w = 0; w < workers; w++)
        {
            _s.Emit(RuntimeEventKind.ThreadPoolWorkerStart, 100 + w, value: w + 1);
            _s.Syscalls.Thread(100 + w, ".NET TP Worker");
            _s.Syscalls.Call(100 + w, "futex", 0, 1_000, 0);
        }
    }

    private void Block(int worker, long fromNs, long forNs, params ulong[] stack)
    {
        _s.Emit(RuntimeEventKind.WaitStart, 100 + worker, fromNs, stack: stack);
        _s.Emit(RuntimeEventKind.WaitStop, 100 + worker, fromNs + forNs);
    }

    private IReadOnlyList<Finding> Run() => RuleEngine.Run(Catalog, _s.Joined(Names));

    [Fact]
    public void Workers_blocked_on_tasks_while_the_pool_injects_threads_are_ADV005_at_the_blocking_call()
    {
        var workers = Environment.ProcessorCount + 10;
        Pool(workers);
        for (var w = 0; w < workers; w++)
        {
            Block(w, 0, 800 * Ms, 0xA0, 0xA1, 0xB0, 0xC0);
        }

        var finding = Run().ShouldHaveSingleItem();

        finding.RuleId.ShouldBe("ADV005");
        finding.Message.ShouldEndWith("from MyApp.Handler.Get → Task.Wait");
        finding.Stacks.ShouldHaveSingleItem().Frames.ShouldContain("System.Threading.Tasks.Task.Wait");
        finding.Advice[0].Text.ShouldStartWith("Await instead of blocking");
    }

    [Fact]
    public void A_pool_that_grew_without_blocking_is_not_starved()
    {
        Pool(Environment.ProcessorCount + 10);

        Run().ShouldBeEmpty();
    }

    [Fact]
    public void Short_blocking_waits_in_a_pool_the_size_of_the_machine_are_not_starvation()
    {
        Pool(Math.Min(4, Environment.ProcessorCount));
        Block(0, 0, 5 * Ms, 0xA0, 0xA1, 0xB0, 0xC0);

        Run().ShouldBeEmpty();
    }

}
