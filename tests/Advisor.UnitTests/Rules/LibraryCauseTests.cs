using Advisor.Core.Aggregation;
using Advisor.Core.Rules;
using Advisor.Core.Stacks;
using Advisor.UnitTests.Aggregation;
using static Advisor.UnitTests.Aggregation.SyscallStream;

namespace Advisor.UnitTests.Rules;

/// <summary>One call site or one library cause is one finding, with its breakdown inside, and the library's own advice.</summary>
public class LibraryCauseTests
{
    private const int Pid = 10;
    private const int Main = 10;
    private const long Us = 1_000;
    private const ulong JournalPathAt = 0x5555_0000_1000;
    private const ulong DirectoryPathAt = 0x7ffd_0000_2000;

    private static readonly RuleCatalog Catalog = RuleCatalog.BuiltIn();

    private readonly SyscallStream _s = new SyscallStream(Pid)
        .Thread(Main, "SqliteOrders")
        .File(5, "/data/orders.db");

    /// <summary>
    /// SQLite in autocommit, per insert: the page written to the journal and the journal synced twice, the
    /// directory opened and synced, the database written and synced; the journal and directory fds are
    /// closed before /proc is asked (they live a few milliseconds).
    /// </summary>
    private void Commit(int i, int stackId = 0)
    {
        var at = i * 5_000 * Us;
        _s.Call(Main, "openat", at, 20 * Us, ret: 6, arg0: unchecked((ulong)-100), arg1: JournalPathAt, arg2: 0x42, stackId: stackId);
        _s.Call(Main, "pwrite64", at + 30, 10 * Us, ret: 4096, arg0: 6, arg2: 4096, stackId: stackId);
        _s.Call(Main, "fsync", at + 50, 400 * Us, ret: 0, arg0: 6, stackId: stackId);
        _s.Call(Main, "fsync", at + 500, 400 * Us, ret: 0, arg0: 6, stackId: stackId);
        _s.Call(Main, "openat", at + 950, 10 * Us, ret: 7, arg0: unchecked((ulong)-100), arg1: DirectoryPathAt, arg2: 0, stackId: stackId);
        _s.Call(Main, "fsync", at + 1_000, 300 * Us, ret: 0, arg0: 7, stackId: stackId);
        _s.Call(Main, "close", at + 1_400, 2 * Us, ret: 0, arg0: 7, stackId: stackId);
        _s.Call(Main, "pwrite64", at + 1_500, 10 * Us, ret: 4096, arg0: 5, arg2: 4096, stackId: stackId);
        _s.Call(Main, "fsync", at + 1_600, 400 * Us, ret: 0, arg0: 5, stackId: stackId);
        _s.Call(Main, "close", at + 2_100, 2 * Us, ret: 0, arg0: 6, stackId: stackId);
    }

    private AggregateSnapshot Sqlite(int commits, bool pathsReadable = true)
    {
        if (pathsReadable)
        {
            _s.Introspector.OpenPaths[JournalPathAt] = "/data/orders.db-journal";
            _s.Introspector.OpenPaths[DirectoryPathAt] = "/data";
        }

        for (var i = 0; i < commits; i++)
        {
            Commit(i);
        }

        return _s.Snapshot(commits * 5 * 1_000 * Us);
    }

    [Fact]
    public void SQLite_in_autocommit_is_one_fsync_finding_with_its_files_and_the_advice_to_use_a_transaction()
    {
        var findings = RuleEngine.Run(Catalog, Sqlite(500));

        var finding = findings.ShouldHaveSingleItem();
        finding.RuleId.ShouldBe("ADV006");
        finding.Evidence.Count.ShouldBe(2_000);
        finding.Message.ShouldStartWith("fsync ×2,000 on /data/orders.db-journal ×1,000, /data ×500 and /data/orders.db ×500 for");
        finding.Advice[0].Text.ShouldContain("transaction");
        finding.Advice[0].Text.ShouldContain("journal_mode=WAL");
        // Known by its files and by nothing else here, the advice is given once.
        finding.Advice.Count(a => a.Text.Contains("transaction", StringComparison.Ordinal)).ShouldBe(1);
    }

    [Fact]
    public void Fds_closed_before_proc_could_tell_are_named_from_the_path_their_open_was_given()
    {
        var snapshot = Sqlite(100);

        snapshot.Fds.Where(f => f.Fd is 6 or 7).Select(f => f.Description).Distinct().Order()
            .ShouldBe(["/data", "/data/orders.db-journal"]);
        snapshot.Fds.ShouldAllBe(f => f.Resolved);
    }

    [Fact]
    public void The_path_the_recorder_captured_with_the_open_names_the_fd_and_a_failed_opens_path_names_nothing()
    {
        _s.File(5, "/data/orders.db");
        _s.Aggregator.OnOpenPath(Pid, Main, "/data/missing.cfg");
        _s.Call(Main, "openat", 0, 10 * Us, ret: -2, arg0: unchecked((ulong)-100), arg1: 0x1234, arg2: 0);
        _s.Aggregator.OnOpenPath(Pid, Main, "/data/orders.db-journal");
        _s.Call(Main, "openat", 20 * Us, 10 * Us, ret: 6, arg0: unchecked((ulong)-100), arg1: 0x1234, arg2: 0x42);
        _s.Call(Main, "pwrite64", 40 * Us, 10 * Us, ret: 512, arg0: 6, arg2: 512);
        _s.Call(Main, "openat", 60 * Us, 10 * Us, ret: 7, arg0: unchecked((ulong)-100), arg1: 0x1234, arg2: 0);
        _s.Call(Main, "fsync", 80 * Us, 10 * Us, ret: 0, arg0: 7);

        var fds = _s.Snapshot().Fds;

        fds.Single(f => f.Fd == 6).Description.ShouldBe("/data/orders.db-journal");
        // The third open had no captured path (and none readable): it stays unresolved, not the failed open's path.
        fds.Single(f => f.Fd == 7).Resolved.ShouldBeFalse();
    }

    [Fact]
    public void Without_a_readable_path_they_stay_unresolved_rather_than_guessed()
    {
        var snapshot = Sqlite(100, pathsReadable: false);

        snapshot.Fds.Where(f => f.Fd is 6 or 7).ShouldAllBe(f => !f.Resolved);
    }

    [Fact]
    public void A_journal_created_and_synced_per_commit_is_not_open_close_churn_of_its_own()
    {
        // 500 opens of the journal at 200/s would be ADV007; its syncs make it the commits' (ADV006's) story.
        RuleEngine.Run(Catalog, Sqlite(500)).Select(f => f.RuleId).ShouldNotContain("ADV007");
    }

    [Fact]
    public void SQLites_native_frames_pick_the_same_advice_where_its_files_do_not_say()
    {
        var native = new CallStack([new StackFrame("libc.so.6!fsync", FrameKind.Native), new StackFrame("libe_sqlite3.so!sqlite3_step", FrameKind.Native)]);
        _s.Introspector.OpenPaths[JournalPathAt] = "/data/orders.dat-log";
        _s.Introspector.OpenPaths[DirectoryPathAt] = "/data";
        _s.File(5, "/data/orders.dat");
        for (var i = 0; i < 500; i++)
        {
            Commit(i, stackId: 1);
        }

        var snapshot = _s.Snapshot(2_500 * 1_000 * Us) with { Stacks = new CallStacks(new Dictionary<int, CallStack> { [1] = native }) };

        RuleEngine.Run(Catalog, snapshot).Single(f => f.RuleId == "ADV006").Advice[0].Text.ShouldContain("transaction");
    }

    [Fact]
    public void A_UDP_servers_reads_of_its_datagrams_are_not_small_reads()
    {
        _s.File(9, "udp 127.0.0.1:8125 → 0.0.0.0:0");
        _s.Repeat(12_000, 11, "recvmsg", durationNs: 8 * Us, ret: 24, arg0: 9);

        RuleEngine.Run(Catalog, _s.Snapshot()).ShouldBeEmpty();
    }

    [Fact]
    public void The_same_small_reads_from_a_pipe_are()
    {
        _s.File(9, "pipe:[4242]");
        _s.Repeat(12_000, 11, "read", durationNs: 8 * Us, ret: 24, arg0: 9);

        RuleEngine.Run(Catalog, _s.Snapshot()).ShouldHaveSingleItem().RuleId.ShouldBe("ADV003");
    }
}
