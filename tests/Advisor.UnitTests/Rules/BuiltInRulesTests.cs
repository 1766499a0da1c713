using Advisor.Core.Findings;
using Advisor.Core.Rules;
using Advisor.UnitTests.Aggregation;
using static Advisor.UnitTests.Aggregation.SyscallStream;

namespace Advisor.UnitTests.Rules;

/// <summary>
/// The built-in catalogue run by <see cref="RuleEngine"/> over synthetic streams folded by the real
/// aggregator: what each rule promises to flag, and what it promises to leave alone.
/// </summary>
public class BuiltInRulesTests
{
    private const int Pid = 10;
    private const int Main = 10;
    private const int Logger = 12;
    private const long Us = 1_000;
    private const long KiB = 1024;

    private static readonly RuleCatalog Catalog = RuleCatalog.BuiltIn();

    private readonly SyscallStream _s = new SyscallStream(Pid)
        .Thread(Main, "myapp")
        .Thread(Logger, "log-writer")
        .File(3, "/tmp/a.log")
        .File(4, "/var/lib/app/journal")
        .File(5, "tcp 127.0.0.1:5000 → 127.0.0.1:41234");

    private IReadOnlyList<Finding> Run(long durationNs = Second) => RuleEngine.Run(Catalog, _s.Snapshot(durationNs));

    // ---- ADV002 unbuffered-writes ----

    [Fact]
    public void Unbuffered_16_byte_writes_are_one_ADV002_finding_with_its_evidence_and_saving()
    {
        _s.Repeat(200_000, Logger, "pwrite64", durationNs: 2 * Us, ret: 16, arg0: 3);

        var findings = Run();

        var finding = findings.ShouldHaveSingleItem();
        finding.RuleId.ShouldBe("ADV002");
        finding.RuleName.ShouldBe("unbuffered-writes");
        finding.Severity.ShouldBe(Severity.Warning);
        finding.Evidence.Syscalls.ShouldBe(["pwrite64"]);
        finding.Evidence.Count.ShouldBe(200_000);
        finding.Evidence.Bytes.ShouldBe(3_200_000);
        finding.Evidence.AverageBytes.ShouldBe(16);
        finding.Evidence.Fd.ShouldBe(3);
        finding.Evidence.Path.ShouldBe("/tmp/a.log");
        finding.Evidence.TotalTimeMs.ShouldBe(400, 1e-9);
        finding.Evidence.RatePerSecond.ShouldBe(200_000, 1e-6);
        finding.Evidence.P50Us.ShouldBe(2, 2 * 0.13);
        finding.Thread.ShouldNotBeNull().Name.ShouldBe("log-writer");
        // 3,200,000 bytes fit in ceil(3,200,000 / 64 KiB) = 49 buffered writes; each avoided one cost 2 µs.
        finding.AvoidableCalls.ShouldBe(200_000 - 49);
        finding.EstimatedSavingMs.ShouldBe((200_000 - 49) * 0.002, 1e-6);
        finding.Message.ShouldBe("pwrite64 ×200,000 (16 B avg) on /tmp/a.log from log-writer");
        finding.Advice.ShouldNotBeEmpty();
        finding.Advice[0].Text.ShouldContain("Buffer the stream");
        finding.Advice[0].Before.ShouldNotBeNullOrWhiteSpace();
        finding.Advice[0].After.ShouldNotBeNullOrWhiteSpace();
    }

    [Fact]
    public void Calls_explained_by_ADV002_are_not_reported_again_as_a_syscall_storm()
    {
        // 200,000 calls/s at 0.4 of wall time would meet ADV001's thresholds on their own.
        _s.Repeat(200_000, Logger, "pwrite64", durationNs: 2 * Us, ret: 16, arg0: 3);

        Run().Select(f => f.RuleId).ShouldNotContain("ADV001");
    }

    [Fact]
    public void A_rule_turned_off_reports_nothing_and_its_calls_do_not_fall_to_the_syscall_storm()
    {
        _s.Repeat(200_000, Logger, "pwrite64", durationNs: 2 * Us, ret: 16, arg0: 3);
        var silenced = Catalog.Apply(Advisor.Core.Rules.Configuration.ConfigLoader.Load("rules: { ADV002: { severity: none } }", "advisor.yaml", "."));

        RuleEngine.Run(silenced, _s.Snapshot()).ShouldBeEmpty();
    }

    [Fact]
    public void The_same_bytes_in_64_KiB_writes_are_not_a_finding()
    {
        _s.Repeat(49, Logger, "pwrite64", durationNs: 40 * Us, ret: 64 * KiB, arg0: 3);

        Run().ShouldBeEmpty();
    }

    [Fact]
    public void Small_writes_strictly_alternating_with_reads_on_a_socket_are_request_response_not_ADV002()
    {
        for (var i = 0; i < 5_000; i++)
        {
            _s.Call(Main, "sendto", i * 200 * Us, 5 * Us, ret: 64, arg0: 5);
            _s.Call(Main, "recvfrom", (i * 200 * Us) + (100 * Us), 5 * Us, ret: 64, arg0: 5);
        }

        Run().ShouldBeEmpty();
    }

    [Fact]
    public void The_same_small_socket_writes_without_reads_between_them_are_ADV002()
    {
        // The contrast to the request/response case: only the alternation kept that one quiet.
        _s.Repeat(5_000, Main, "sendto", durationNs: 5 * Us, ret: 64, arg0: 5);

        var finding = Run().ShouldHaveSingleItem();
        finding.RuleId.ShouldBe("ADV002");
        finding.Evidence.Path.ShouldBe("tcp 127.0.0.1:5000 → 127.0.0.1:41234");
    }

    [Fact]
    public void Console_writes_to_a_pipe_get_the_console_advice_and_not_the_files()
    {
        _s.File(1, "pipe:[1234]");
        _s.Repeat(50_000, Main, "write", durationNs: 3 * Us, ret: 40, arg0: 1);

        var finding = Run().ShouldHaveSingleItem();

        finding.RuleId.ShouldBe("ADV002");
        finding.Evidence.Path.ShouldBe("pipe:[1234]");
        // The console entry is written for pipes and terminals: the general one (a FileStream's buffer) is for files.
        finding.Advice.ShouldHaveSingleItem().Text.ShouldContain("console output");
    }

    [Theory]
    [InlineData("/dev/pts/3")]
    [InlineData("/dev/tty")]
    public void Writes_to_a_terminal_also_get_the_console_specific_advice_first(string path)
    {
        _s.File(1, path);
        _s.Repeat(50_000, Main, "write", durationNs: 3 * Us, ret: 40, arg0: 1);

        Run().ShouldHaveSingleItem().Advice[0].Text.ShouldContain("console output");
    }

    [Fact]
    public void Writes_to_a_regular_file_get_only_the_general_advice()
    {
        _s.Repeat(50_000, Main, "write", durationNs: 3 * Us, ret: 40, arg0: 3);

        var advice = Run().ShouldHaveSingleItem().Advice.ShouldHaveSingleItem();
        advice.Text.ShouldContain("Buffer the stream");
    }

    [Fact]
    public void Small_writes_costing_under_a_fifth_of_a_percent_of_the_recording_are_not_ADV002()
    {
        // 1,500 writes × 1 µs = 1.5 ms of a 1 s recording: 0.15% < minWallShare 0.2%.
        _s.Repeat(1_500, Main, "write", durationNs: 1 * Us, ret: 128, arg0: 3);

        Run().ShouldBeEmpty();
    }

    // ---- ADV003 small-reads ----

    [Fact]
    public void Unbuffered_16_byte_reads_of_one_file_are_ADV003_not_a_storm()
    {
        _s.Repeat(200_000, Logger, "read", durationNs: 1 * Us, ret: 16, arg0: 3);

        var finding = Run().ShouldHaveSingleItem();

        finding.RuleId.ShouldBe("ADV003");
        finding.Evidence.Path.ShouldBe("/tmp/a.log");
        finding.AvoidableCalls.ShouldBe(200_000 - 49);
    }

    [Fact]
    public void Small_reads_that_alternate_with_writes_on_a_socket_are_not_ADV003()
    {
        for (var i = 0; i < 5_000; i++)
        {
            _s.Call(Main, "recvfrom", i * 200 * Us, 5 * Us, ret: 64, arg0: 5);
            _s.Call(Main, "sendto", (i * 200 * Us) + (100 * Us), 5 * Us, ret: 64, arg0: 5);
        }

        Run().ShouldBeEmpty();
    }

    // ---- ADV009 polling-sleep ----

    [Fact]
    public void A_thread_sleeping_1_ms_a_thousand_times_is_ADV009()
    {
        // Thread.Sleep(1) on Linux: a futex wait that times out after about a millisecond.
        _s.Repeat(1_000, Main, "futex", durationNs: 1_060 * Us, ret: -110);

        var finding = Run().ShouldHaveSingleItem();

        finding.RuleId.ShouldBe("ADV009");
        finding.Message.ShouldStartWith("1,000 short sleeps");
        finding.AvoidableCalls.ShouldBe(999);
    }

    [Fact]
    public void The_runtimes_timer_thread_waiting_for_timers_is_not_ADV009()
    {
        _s.Thread(30, ".NET Timer");
        _s.Repeat(1_000, 30, "futex", durationNs: 1_060 * Us, ret: -110);

        Run().ShouldBeEmpty();
    }

    [Fact]
    public void Long_sleeps_are_waiting_not_polling()
    {
        _s.Repeat(100, Main, "clock_nanosleep", durationNs: 50_000 * Us, ret: 0, spanNs: 5 * Second);

        Run(durationNs: 5 * Second).ShouldBeEmpty();
    }

    // ---- ADV017 metadata-storm ----

    [Fact]
    public void Stat_on_every_operation_is_ADV017_not_a_generic_storm()
    {
        _s.Repeat(100_000, Main, "newfstatat", durationNs: 2 * Us, ret: 0);

        var finding = Run().ShouldHaveSingleItem();

        finding.RuleId.ShouldBe("ADV017");
        finding.AvoidableCalls.ShouldBe(90_000);
    }

    [Fact]
    public void Start_up_sized_metadata_work_is_not_ADV017()
    {
        _s.Repeat(3_000, Main, "newfstatat", durationNs: 2 * Us, ret: 0, spanNs: Second / 2);
        _s.Repeat(1_500, Main, "getdents64", durationNs: 10 * Us, ret: 4096, spanNs: Second / 2);

        Run(durationNs: 4 * Second).ShouldBeEmpty();
    }

    [Fact]
    public void A_tree_walked_once_is_not_ADV017()
    {
        // ASP.NET Core's file provider watching a content root of 3,000 folders at start-up: each folder opened and
        // listed once (two getdents64, the second at its end), each entry stat'ed.
        WalkFolders(3_000, folder => $"/srv/content/d{folder}/");

        Run().ShouldBeEmpty();
    }

    [Fact]
    public void The_same_folders_listed_again_and_again_are_ADV017()
    {
        WalkFolders(3_000, folder => $"/srv/drop/q{folder % 3}/");

        // Three folders, each listed 1,000 times (each reopened too: ADV007 says so per folder).
        Run().Where(f => f.RuleId == "ADV017").ShouldHaveSingleItem().Evidence.Count.ShouldBe(12_000);
    }

    /// <summary>Opens a folder under fd 5, lists it, stats two entries and closes it, <paramref name="folders"/> times in 1 s.</summary>
    private void WalkFolders(int folders, Func<int, string> path)
    {
        var step = Second / folders;
        for (var i = 0; i < folders; i++)
        {
            var at = i * step;
            _s.File(5, path(i));
            _s.Call(Main, "openat", at, 3 * Us, ret: 5, arg0: unchecked((ulong)-100), arg2: 0x10000);
            _s.Call(Main, "getdents64", at + (5 * Us), 10 * Us, ret: 4096, arg0: 5);
            _s.Call(Main, "getdents64", at + (20 * Us), 2 * Us, ret: 0, arg0: 5);
            _s.Call(Main, "lstat", at + (25 * Us), 2 * Us, ret: 0);
            _s.Call(Main, "lstat", at + (30 * Us), 2 * Us, ret: 0);
            _s.Call(Main, "close", at + (35 * Us), 1 * Us, ret: 0, arg0: 5);
        }
    }

    // ---- ADV007 open-close-churn ----

    [Fact]
    public void A_file_reopened_for_every_record_is_ADV007_and_its_writes_are_not_ADV002()
    {
        // File.AppendAllText per record: open (fd 3), write 12 bytes, close — 2,000 times.
        for (var i = 0; i < 2_000; i++)
        {
            _s.Call(Main, "pwrite64", i * 200 * Us, 3 * Us, ret: 12, arg0: 3);
            _s.Call(Main, "close", (i * 200 * Us) + (10 * Us), 1 * Us, ret: 0, arg0: 3);
        }

        var finding = Run().ShouldHaveSingleItem();

        finding.RuleId.ShouldBe("ADV007");
        finding.Message.ShouldStartWith("/tmp/a.log opened and closed ×2,000");
    }

    [Fact]
    public void A_file_opened_a_few_times_is_not_churn()
    {
        for (var i = 0; i < 20; i++)
        {
            _s.Call(Main, "pwrite64", i * 50_000 * Us, 3 * Us, ret: 4096, arg0: 3);
            _s.Call(Main, "close", (i * 50_000 * Us) + (10 * Us), 1 * Us, ret: 0, arg0: 3);
        }

        Run().ShouldBeEmpty();
    }

    // ---- ADV008 failing-syscalls ----

    [Fact]
    public void Opening_missing_files_over_and_over_is_ADV008_naming_the_error()
    {
        _s.Repeat(20_000, Main, "openat", durationNs: 3 * Us, ret: -2); // ENOENT

        var finding = Run().ShouldHaveSingleItem();

        finding.RuleId.ShouldBe("ADV008");
        finding.Message.ShouldStartWith("20,000 failing calls (ENOENT, 100 %");
        finding.Evidence.ErrorsByErrno["ENOENT"].ShouldBe(20_000);
    }

    [Fact]
    public void EAGAIN_of_non_blocking_sockets_in_the_runtime_is_not_ADV008()
    {
        // The socket engine's speculative receive returns EAGAIN, epoll says when to read, then the request
        // is read and answered.
        // 2,000 requests a second for 10 s.
        for (var i = 0; i < 20_000; i++)
        {
            _s.Call(Main, "recvfrom", i * 500 * Us, 2 * Us, ret: -11, arg0: 5);
            _s.Call(Main, "recvfrom", (i * 500 * Us) + (100 * Us), 2 * Us, ret: 64, arg0: 5);
            _s.Call(Main, "sendto", (i * 500 * Us) + (200 * Us), 2 * Us, ret: 64, arg0: 5);
        }

        Run(10 * Second).ShouldBeEmpty();
    }

    // ---- ADV014 process-spawn-storm ----

    [Fact]
    public void Hundreds_of_programs_started_per_second_are_ADV014()
    {
        _s.Repeat(200, Main, "execve", durationNs: 150 * Us, ret: 0);

        var finding = Run().ShouldHaveSingleItem();

        finding.RuleId.ShouldBe("ADV014");
        finding.Message.ShouldBe("200 programs started (200/s), 30 ms in execve alone");
    }

    [Fact]
    public void Programs_started_each_from_its_own_child_process_are_one_spawn_storm()
    {
        // Process.Start forks a child per program, which execs it: 200 pids, one execve each, all one program.
        for (var i = 0; i < 200; i++)
        {
            var child = 1_000 + i;
            _s.Introspector.ThreadNames[child] = "true";
            _s.Aggregator.OnSyscall(new Advisor.Core.Events.SyscallEvent(child, child, Nr("execve"), OriginNs + (i * 5_000 * Us), 150 * Us, 0, 0, 0, 0));
        }

        var finding = Run().ShouldHaveSingleItem();

        finding.RuleId.ShouldBe("ADV014");
        finding.Evidence.Count.ShouldBe(200);
        finding.Process.ShouldNotBeNull().Name.ShouldBe("true");
    }

    [Fact]
    public void A_few_tool_runs_are_not_a_spawn_storm()
    {
        _s.Repeat(20, Main, "execve", durationNs: 150 * Us, ret: 0, spanNs: 10 * Second);

        Run(10 * Second).ShouldBeEmpty();
    }

    // ---- ADV006 fsync-storm ----

    private void WriteAndSyncEachRecord(int records, long writeNs, long fsyncNs)
    {
        for (var i = 0; i < records; i++)
        {
            var at = i * Second / records;
            _s.Call(Main, "write", at, writeNs, ret: 128, arg0: 4);
            _s.Call(Main, "fsync", at + writeNs, fsyncNs, ret: 0, arg0: 4);
        }
    }

    [Fact]
    public void An_fsync_per_128_byte_record_is_ADV006()
    {
        // ADV006: 2,000 syncs ≥ minSyncs 50, 2,000/s ≥ minRate 5, 256,000 B / 2,000 = 128 B per sync < 256 KiB.
        // ADV002 looks at the same fd's writes, and all but its last clauses hold: 2,000 ≥ minCalls 1000,
        // 128 B < 512 B, and one run of 2,000 ≥ 16 (an fsync is not a read, so it does not end a run). Two
        // clauses keep it quiet: 2,000 × 2 µs = 4 ms of 1 s is 0.4% < minWallShare 1%, and fdSyncs × 4 =
        // 8,000 ≥ 2,000 writes (writes a sync follows one by one are ADV006's root cause, reported once).
        // ADV001 sees the unexplained writes: 2,000 < minCalls 10,000.
        WriteAndSyncEachRecord(2_000, writeNs: 2 * Us, fsyncNs: 300 * Us);

        var finding = Run().ShouldHaveSingleItem();

        finding.RuleId.ShouldBe("ADV006");
        finding.RuleName.ShouldBe("fsync-storm");
        finding.Evidence.Syscalls.ShouldBe(["fsync"]);
        finding.Evidence.Count.ShouldBe(2_000);
        finding.Evidence.Fd.ShouldBe(4);
        finding.Evidence.Path.ShouldBe("/var/lib/app/journal");
        // 256,000 B need one sync per MiB, at least one: 1,999 of 2,000 are avoidable at 300 µs each.
        finding.AvoidableCalls.ShouldBe(1_999);
        finding.EstimatedSavingMs.ShouldBe(1_999 * 0.3, 1e-6);
        // The median is the histogram bucket's midpoint: 300 µs falls in [262,144, 327,680) ns.
        finding.Message.ShouldBe("fsync ×2,000 on /var/lib/app/journal for 256 KB written, 295 µs median each, from the main thread");
        finding.Advice[0].Text.ShouldContain("Sync per batch");
    }

    [Fact]
    public void Record_writes_each_followed_by_an_fsync_are_left_to_ADV006_even_when_they_cost_a_real_share()
    {
        // 10 µs writes are 2% of the recording, past ADV002's wall-share bar: only fdSyncs × 4 < count stops
        // it, so the one root cause (a sync per record) is reported once.
        WriteAndSyncEachRecord(2_000, writeNs: 10 * Us, fsyncNs: 300 * Us);

        Run().Select(f => f.RuleId).ShouldBe(["ADV006"]);
    }

    [Fact]
    public void Unbuffered_writes_with_an_occasional_fsync_are_both_ADV002_and_ADV006()
    {
        // 2,000 writes of 128 B (10 µs: 2% of 1 s) and an fsync after every 20th: 100 syncs × 4 = 400 < 2,000
        // writes, so ADV002 holds; 100 syncs at 100/s for 2,560 B each is still an fsync storm.
        for (var i = 0; i < 2_000; i++)
        {
            var at = i * Second / 2_000;
            _s.Call(Main, "write", at, 10 * Us, ret: 128, arg0: 4);
            if (i % 20 == 19)
            {
                _s.Call(Main, "fsync", at + (10 * Us), 300 * Us, ret: 0, arg0: 4);
            }
        }

        var findings = Run();

        findings.Select(f => f.RuleId).ShouldBe(["ADV002", "ADV006"], ignoreOrder: true);
        findings.ShouldAllBe(f => f.Evidence.Path == "/var/lib/app/journal");
    }

    [Fact]
    public void One_fsync_after_large_writes_is_not_ADV006()
    {
        _s.Repeat(49, Main, "write", durationNs: 40 * Us, ret: 64 * KiB, arg0: 4, spanNs: Second / 2);
        _s.Call(Main, "fsync", Second * 3 / 4, 2_000 * Us, ret: 0, arg0: 4);

        Run().ShouldBeEmpty();
    }

    [Fact]
    public void Fsyncs_each_covering_a_megabyte_are_not_ADV006()
    {
        // 100 syncs at 100/s, but 1 MiB written per sync: above maxBytesPerSync 256 KiB.
        for (var i = 0; i < 100; i++)
        {
            _s.Repeat(16, Main, "write", durationNs: 40 * Us, ret: 64 * KiB, arg0: 4, spanNs: 5_000 * Us, fromNs: i * 10_000 * Us);
            _s.Call(Main, "fsync", (i * 10_000 * Us) + (6_000 * Us), 1_000 * Us, ret: 0, arg0: 4);
        }

        Run().ShouldBeEmpty();
    }

    // ---- ADV001 syscall-storm ----

    [Fact]
    public void A_storm_of_getpid_calls_is_ADV001()
    {
        // 100,000 ≥ minCalls 10,000; 100,000/s ≥ minRate 5,000; 100 ms of 1 s = 10% ≥ minWallShare 5%.
        _s.Repeat(100_000, Main, "getpid", durationNs: 1 * Us, ret: 0);

        var finding = Run().ShouldHaveSingleItem();

        finding.RuleId.ShouldBe("ADV001");
        finding.RuleName.ShouldBe("syscall-storm");
        finding.Evidence.Syscalls.ShouldBe(["getpid"]);
        finding.Evidence.Count.ShouldBe(100_000);
        finding.Evidence.Path.ShouldBeNull();
        finding.AvoidableCalls.ShouldBe(90_000);
        finding.EstimatedSavingMs.ShouldBe(90, 1e-6);
        finding.Message.ShouldBe("getpid ×100,000 (100,000/s) costing 100 ms in the kernel, from the main thread");
    }

    [Fact]
    public void A_storm_of_futex_calls_is_not_ADV001()
    {
        _s.Repeat(100_000, Main, "futex", durationNs: 1 * Us, ret: 0);

        Run().ShouldBeEmpty();
    }

    [Theory]
    [InlineData(9_999, 1 * Us, Second)] // too few calls
    [InlineData(100_000, 20 * Us, 30 * Second)] // 3,333/s: under minRate 5,000 (2 s of 30 s is 6.7%)
    [InlineData(100_000, 80, Second)] // 8 ms of 1 s: under minWallShare 1%
    public void Getpid_calls_under_any_ADV001_threshold_are_not_a_storm(int count, long durationNs, long spanNs)
    {
        _s.Repeat(count, Main, "getpid", durationNs, ret: 0, spanNs: spanNs);

        Run(spanNs).ShouldBeEmpty();
    }

    // ---- the engine ----

    [Fact]
    public void Findings_are_ordered_by_estimated_saving_descending()
    {
        _s.Repeat(100_000, Main, "getpid", durationNs: 1 * Us, ret: 0); // ADV001, saves 90 ms
        _s.Repeat(200_000, Logger, "pwrite64", durationNs: 2 * Us, ret: 16, arg0: 3); // ADV002, ~400 ms
        WriteAndSyncEachRecord(2_000, writeNs: 2 * Us, fsyncNs: 300 * Us); // ADV006, ~600 ms

        var findings = Run();

        findings.Select(f => f.RuleId).ShouldBe(["ADV006", "ADV002", "ADV001"]);
        findings.Select(f => f.EstimatedSavingMs).ShouldBeInOrder(SortDirection.Descending);
    }

    [Fact]
    public void Unbuffered_writes_on_two_fds_are_two_findings_the_costlier_first()
    {
        _s.File(6, "/tmp/b.log");
        _s.Repeat(20_000, Main, "write", durationNs: 2 * Us, ret: 16, arg0: 3);
        _s.Repeat(60_000, Logger, "write", durationNs: 2 * Us, ret: 16, arg0: 6);

        var findings = Run();

        findings.Select(f => (f.RuleId, f.Evidence.Path)).ShouldBe([("ADV002", "/tmp/b.log"), ("ADV002", "/tmp/a.log")]);
        findings[0].EstimatedSavingMs.ShouldBeGreaterThan(findings[1].EstimatedSavingMs);
    }

    [Fact]
    public void A_quiet_recording_has_no_findings()
    {
        _s.Repeat(500, Main, "futex", durationNs: 2_000 * Us, ret: 0);
        _s.Repeat(100, Main, "write", durationNs: 5 * Us, ret: 300, arg0: 5);
        _s.Repeat(100, Main, "read", durationNs: 5 * Us, ret: 300, arg0: 5);
        _s.Repeat(200, Main, "getpid", durationNs: 2 * Us, ret: 0);

        Run(10 * Second).ShouldBeEmpty();
    }
}
