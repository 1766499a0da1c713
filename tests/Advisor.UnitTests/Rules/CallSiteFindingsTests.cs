using Advisor.Core.Findings;
using Advisor.Core.Rules;
using Advisor.Core.Stacks;
using Advisor.UnitTests.Aggregation;

namespace Advisor.UnitTests.Rules;

/// <summary>Findings built from calls with stacks: their top call sites, headline and frame-keyed advice.</summary>
public class CallSiteFindingsTests
{
    private const int Pid = 10;
    private const int Writer = 12;
    private const long Us = 1_000;

    private static readonly RuleCatalog Catalog = RuleCatalog.BuiltIn();

    private readonly SyscallStream _s = new SyscallStream(Pid).Thread(Pid, "myapp").Thread(Writer, "log-writer").File(3, "/tmp/a.log");

    private static StackFrame Native(string name) => new(name, FrameKind.Native);

    private static StackFrame Framework(string name) => new(name, FrameKind.Framework);

    private static StackFrame User(string name) => new(name, FrameKind.User);

    private Finding Adv002(params (int StackId, CallStack Stack, int Calls)[] sites)
    {
        foreach (var (id, _, calls) in sites)
        {
            _s.Repeat(calls, Writer, "pwrite64", durationNs: 2 * Us, ret: 16, arg0: 3, spanNs: SyscallStream.Second / 2, stackId: id);
        }

        var snapshot = _s.Snapshot() with { Stacks = new CallStacks(sites.ToDictionary(s => s.StackId, s => s.Stack)) };
        return RuleEngine.Run(Catalog, snapshot).Single(f => f.RuleId == "ADV002");
    }

    private static CallStack FileStreamFrom(string userMethod) => new([
        Native("libc.so.6!pwrite64"),
        Framework("System.IO.RandomAccess.WriteAtOffset"),
        Framework("System.IO.FileStream.Write"),
        User(userMethod),
        User("MyApp.Program.Main"),
    ]);

    [Fact]
    public void The_finding_lists_its_call_sites_by_count_and_its_headline_names_the_busiest_one()
    {
        var finding = Adv002((1, FileStreamFrom("MyApp.Logger.Log"), 150_000), (2, FileStreamFrom("MyApp.Audit.Record"), 50_000));

        finding.Stacks.Select(s => s.Count).ShouldBe([150_000L, 50_000L]);
        finding.Stacks[0].Frames.ShouldContain("MyApp.Logger.Log");
        finding.Stacks[0].Frames.ShouldContain("System.IO.FileStream.Write");
        finding.Message.ShouldBe("pwrite64 ×200,000 (16 B avg) on /tmp/a.log from MyApp.Logger.Log → FileStream.Write");
    }

    [Fact]
    public void Stacks_that_name_the_same_frames_are_one_call_site()
    {
        var finding = Adv002((1, FileStreamFrom("MyApp.Logger.Log"), 100_000), (2, FileStreamFrom("MyApp.Logger.Log"), 20_000));

        finding.Stacks.ShouldHaveSingleItem().Count.ShouldBe(120_000);
    }

    [Fact]
    public void A_library_frame_in_the_stacks_picks_the_librarys_own_advice_first()
    {
        var serilog = new CallStack([
            Native("libc.so.6!pwrite64"),
            Framework("System.IO.FileStream.Write"),
            User("Serilog.Sinks.File.FileSink.Emit"),
            User("MyApp.Program.Main"),
        ]);

        var finding = Adv002((7, serilog, 100_000));

        finding.Advice[0].Text.ShouldContain("Serilog");
        finding.Advice.Skip(1).ShouldContain(a => a.Text.Contains("Buffer the stream", StringComparison.Ordinal));
        finding.Message.ShouldEndWith("from Serilog.Sinks.File.FileSink.Emit → FileStream.Write");
    }

    [Fact]
    public void Without_the_library_in_the_stacks_its_advice_is_not_given()
    {
        var finding = Adv002((1, FileStreamFrom("MyApp.Logger.Log"), 100_000));

        finding.Advice.ShouldNotContain(a => a.Text.Contains("Serilog", StringComparison.Ordinal));
        finding.Advice[0].Text.ShouldContain("Buffer the stream");
    }

    [Fact]
    public void Yields_from_application_code_are_ADV010_and_the_runtimes_own_spinning_is_not()
    {
        var spin = new CallStack([Native("libc.so.6!sched_yield"), Framework("System.Threading.Thread.Yield"), User("MyApp.Spin.WaitForReady")]);
        var pool = new CallStack([Native("libc.so.6!sched_yield"), Framework("System.Threading.LowLevelLifoSemaphore.WaitForSignal")]);
        var monitor = new CallStack([Native("libc.so.6!sched_yield"), Framework("System.Threading.Monitor.Enter"), User("MyApp.Cache.Get")]);
        _s.Repeat(50_000, Writer, "sched_yield", durationNs: 300, ret: 0, stackId: 1);
        _s.Repeat(50_000, 13, "sched_yield", durationNs: 300, ret: 0, stackId: 2);
        _s.Repeat(50_000, 14, "sched_yield", durationNs: 300, ret: 0, stackId: 3);
        var snapshot = _s.Snapshot() with { Stacks = new CallStacks(new Dictionary<int, CallStack> { [1] = spin, [2] = pool, [3] = monitor }) };

        var finding = RuleEngine.Run(Catalog, snapshot).ShouldHaveSingleItem();

        finding.RuleId.ShouldBe("ADV010");
        finding.Message.ShouldEndWith("from MyApp.Spin.WaitForReady → Thread.Yield");
        finding.Evidence.Threads.ShouldHaveSingleItem().Tid.ShouldBe(Writer);
    }

    [Fact]
    public void Without_stacks_the_headline_names_the_thread()
    {
        _s.Repeat(100_000, Writer, "pwrite64", durationNs: 2 * Us, ret: 16, arg0: 3);

        var finding = RuleEngine.Run(Catalog, _s.Snapshot()).Single(f => f.RuleId == "ADV002");

        finding.Stacks.ShouldBeEmpty();
        finding.Message.ShouldEndWith("from log-writer");
    }

    [Theory]
    [InlineData("MyApp.Jobs.RunTool", false)]
    [InlineData("MyApp.Signals.Reset", true)]
    public void Calls_from_a_call_site_a_finding_named_are_not_reported_again_as_a_syscall_storm(string otherSite, bool storm)
    {
        // Process.Start's child resets its signal handlers before exec: from the same call site as the execve.
        var spawn = new CallStack([Native("libc.so.6!execve"), Framework("System.Diagnostics.Process.Start"), User("MyApp.Jobs.RunTool")]);
        var reset = new CallStack([Native("libc.so.6!rt_sigaction"), Framework("System.Diagnostics.Process.Start"), User(otherSite)]);
        _s.Repeat(100, Writer, "execve", durationNs: 500 * Us, ret: 0, spanNs: SyscallStream.Second, stackId: 1);
        _s.Repeat(60_000, Writer, "rt_sigaction", durationNs: 2 * Us, ret: 0, spanNs: SyscallStream.Second, stackId: 2);
        var snapshot = _s.Snapshot() with { Stacks = new CallStacks(new Dictionary<int, CallStack> { [1] = spawn, [2] = reset }) };

        var rules = RuleEngine.Run(Catalog, snapshot).Select(f => f.RuleId).ToList();

        rules.ShouldContain("ADV014");
        rules.Contains("ADV001").ShouldBe(storm);
    }

    [Fact]
    public void Execs_none_of_which_was_walked_explain_the_resets_walked_in_the_same_process()
    {
        // perf samples one call in 61 of each thread: in a child Process.Start forked, that is one of its ~70
        // signal-handler resets, never its execve. The execs are still the finding, and the resets part of it.
        var reset = new CallStack([Native("libc.so.6!rt_sigaction"), Framework("System.Diagnostics.Process.Start"), User("MyApp.Jobs.RunTool")]);
        _s.Repeat(100, Writer, "execve", durationNs: 500 * Us, ret: 0, spanNs: SyscallStream.Second);
        _s.Repeat(60_000, Writer, "rt_sigaction", durationNs: 2 * Us, ret: 0, spanNs: SyscallStream.Second, stackId: 1);
        var snapshot = _s.Snapshot() with { Stacks = new CallStacks(new Dictionary<int, CallStack> { [1] = reset }) };

        RuleEngine.Run(Catalog, snapshot).Select(f => f.RuleId).ShouldBe(["ADV014"]);
    }

    [Fact]
    public void Rows_whose_calls_had_no_stack_walked_are_grouped_under_the_site_their_thread_or_program_was_seen_at()
    {
        // Sampled stacks: a pool worker's blocking reads on one socket got a stack, its reads on another socket
        // and a second worker's reads got none. They are one finding, at the one site, not a second "from
        // .NET TP Worker" finding beside it.
        var read = new CallStack([
            Native("libc.so.6!recvmsg"), Framework("System.Net.Sockets.NetworkStream.Read"), User("MyApp.Client.Fetch")]);
        _s.Thread(21, ".NET TP Worker").Thread(22, ".NET TP Worker");
        _s.File(7, "tcp 127.0.0.1:40001 → 127.0.0.1:9000").File(8, "tcp 127.0.0.1:40002 → 127.0.0.1:9000");
        _s.Repeat(20, 21, "recvmsg", durationNs: 20_000 * Us, ret: 16, arg0: 7, stackId: 1);
        _s.Repeat(20, 21, "recvmsg", durationNs: 20_000 * Us, ret: 16, arg0: 8);
        _s.Repeat(20, 22, "recvmsg", durationNs: 20_000 * Us, ret: 16, arg0: 8);
        var snapshot = _s.Snapshot() with { Stacks = new CallStacks(new Dictionary<int, CallStack> { [1] = read }) };

        var finding = RuleEngine.Run(Catalog, snapshot).ShouldHaveSingleItem();

        finding.RuleId.ShouldBe("ADV013");
        finding.Evidence.Count.ShouldBe(60);
        finding.Message.ShouldEndWith("from MyApp.Client.Fetch → NetworkStream.Read");
    }
}
