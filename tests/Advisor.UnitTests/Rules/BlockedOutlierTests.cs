using Advisor.Core.Findings;
using Advisor.Core.Rules;
using Advisor.Core.Stacks;
using Advisor.UnitTests.Aggregation;
using static Advisor.UnitTests.Aggregation.SyscallStream;

namespace Advisor.UnitTests.Rules;

/// <summary>
/// Costs that hold on any app: a saving comes from the calls the fix avoids, not from a mean one blocked call
/// dominates; a call that blocks is latency on its own thread; the runtime's own threads are not the user's
/// finding; and no saving exceeds the thread time of the calls it counts.
/// </summary>
public class BlockedOutlierTests
{
    private const int Pid = 10;
    private const int Main = 10;
    private const int DebugPipe = 20;
    private const int DebugPipeToo = 21;
    private const long Us = 1_000;
    private const long Recording = 7_300 * 1_000 * Us;

    private static readonly RuleCatalog Catalog = RuleCatalog.BuiltIn();

    private readonly SyscallStream _s = new SyscallStream(Pid)
        .Thread(Main, "pwsh")
        .Thread(DebugPipe, ".NET DebugPipe")
        .Thread(DebugPipeToo, ".NET DebugPipe");

    /// <summary>Add-Content and Get-Content per item: 91,327 files opened in 7 s, about 2 µs each.</summary>
    private void OpensPerItem() =>
        _s.Repeat(91_327, Main, "openat", durationNs: 2 * Us, ret: 3, arg0: unchecked((ulong)-100), spanNs: 7_000 * 1_000 * Us);

    /// <summary>The runtime's debugger pipe: its open of a FIFO waits about 7 s for a debugger that never comes.</summary>
    private void BlockedOpen(int tid, long durationNs) =>
        _s.Call(tid, "openat", 100 * Us, durationNs, ret: 4, arg0: unchecked((ulong)-100), arg2: 0);

    private Finding Storm()
    {
        var finding = RuleEngine.Run(Catalog, _s.Snapshot(Recording)).ShouldHaveSingleItem();
        finding.RuleId.ShouldBe("ADV001");
        return finding;
    }

    [Fact]
    public void Opens_the_runtimes_debugger_pipe_blocked_for_seconds_are_not_in_the_users_storm_nor_its_saving()
    {
        OpensPerItem();
        BlockedOpen(DebugPipe, 7_014 * 1_000 * Us);
        BlockedOpen(DebugPipeToo, 6_990 * 1_000 * Us);

        var finding = Storm();

        finding.Evidence.Count.ShouldBe(91_327);
        finding.Evidence.Threads.ShouldAllBe(t => t.Name != ".NET DebugPipe");
        finding.Evidence.MaxMs.ShouldBeLessThan(1);
        // 90% of 91,327 opens × 2 µs: about 164 ms, not the 12.5 s the blocked opens made of the mean.
        finding.EstimatedSavingMs.ShouldBe(0.9 * 91_327 * 0.002, 0.9 * 91_327 * 0.002 * 0.13);
        finding.BlockedMs.ShouldBeNull();
    }

    [Fact]
    public void Opens_that_blocked_far_beyond_the_rest_on_the_users_own_thread_are_latency_not_kernel_time_saved()
    {
        OpensPerItem();
        BlockedOpen(Main, 3_000 * 1_000 * Us);
        BlockedOpen(Main, 3_000 * 1_000 * Us);

        var finding = Storm();

        // The bulk's 2 µs per call, not (6 s + 0.18 s) / 91,329.
        finding.EstimatedSavingMs.ShouldBe(0.9 * 91_329 * 0.002, 0.9 * 91_329 * 0.002 * 0.13);
        finding.BlockedMs.ShouldNotBeNull().ShouldBeGreaterThan(1_000);
        finding.SavingExplanation.ShouldContain("latency, not CPU");
    }

    [Fact]
    public void No_saving_exceeds_the_recordings_length_times_the_threads_that_made_the_calls()
    {
        // 20,000 calls of 100 µs on one thread in 1 s: 2 s of calls that cannot fit (a clock step, calls begun
        // before the recording). Nine in ten avoidable would be 1.8 s saved; one thread had 1 s.
        _s.Repeat(20_000, Main, "getppid", durationNs: 100 * Us, ret: 1);

        var finding = RuleEngine.Run(Catalog, _s.Snapshot(Second)).ShouldHaveSingleItem();

        finding.RuleId.ShouldBe("ADV001");
        finding.EstimatedSavingMs.ShouldBe(1_000, 1e-6);
    }

    [Fact]
    public void The_storms_advice_fits_files_opened_per_item_and_names_the_call()
    {
        OpensPerItem();
        BlockedOpen(DebugPipe, 7_014 * 1_000 * Us);

        var advice = Storm().Advice;

        advice[0].Text.ShouldContain("openat calls come with a file opened per item");
        advice[0].After.ShouldNotBeNull().ShouldContain("new StreamWriter(path, append: true)");
        advice.ShouldAllBe(a => !a.Text.Contains("{syscall}", StringComparison.Ordinal)
            && !(a.Before ?? "").Contains("File.Exists", StringComparison.Ordinal) && !(a.After ?? "").Contains("File.Exists", StringComparison.Ordinal));
    }

    [Fact]
    public void A_storm_of_another_call_gets_the_general_advice_naming_it_with_no_example_about_another_API()
    {
        _s.Repeat(20_000, Main, "getppid", durationNs: 10 * Us, ret: 1);

        var advice = RuleEngine.Run(Catalog, _s.Snapshot(Second)).ShouldHaveSingleItem().Advice.ShouldHaveSingleItem();

        advice.Text.ShouldContain("these getppid calls");
        advice.Before.ShouldBeNull();
        advice.After.ShouldBeNull();
    }

    [Fact]
    public void Small_reads_of_a_watchers_inotify_fd_on_the_runtimes_thread_are_not_a_finding_unless_the_applications_callback_makes_them()
    {
        const int Watcher = 30;
        _s.Thread(Watcher, ".NET File Watch").File(7, "anon_inode:inotify").File(8, "/srv/inbox/order.xml");
        // FileSystemWatcher's reader: one small read per event batch.
        _s.Repeat(5_000, Watcher, "read", durationNs: 20 * Us, ret: 62, arg0: 7, stackId: 1);
        var framework = new CallStack([new StackFrame("System.IO.FileSystemWatcher+RunningInstance.TryReadEvent", FrameKind.Framework)]);
        var callback = new CallStack([
            new StackFrame("System.IO.RandomAccess.ReadAtOffset", FrameKind.Framework),
            new StackFrame("MyApp.Inbox.OnCreated", FrameKind.User),
            new StackFrame("System.IO.FileSystemWatcher.OnCreated", FrameKind.Framework),
        ]);

        RuleEngine.Run(Catalog, _s.Snapshot(Second) with { Stacks = new CallStacks(new Dictionary<int, CallStack> { [1] = framework }) }).ShouldBeEmpty();

        // The application's event handler, run on the watcher's thread, reading a file a byte at a time: its own.
        _s.Repeat(20_000, Watcher, "pread64", durationNs: 3 * Us, ret: 1, arg0: 8, stackId: 2);
        var stacks = new CallStacks(new Dictionary<int, CallStack> { [1] = framework, [2] = callback });
        RuleEngine.Run(Catalog, _s.Snapshot(Second) with { Stacks = stacks }).ShouldHaveSingleItem().RuleId.ShouldBe("ADV003");
    }
}
