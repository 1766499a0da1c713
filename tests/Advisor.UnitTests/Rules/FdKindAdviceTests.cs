using Advisor.Core.Aggregation;
using Advisor.Core.Findings;
using Advisor.Core.Recording;
using Advisor.Core.Rules;
using Advisor.Core.Rules.Loading;
using Advisor.UnitTests.Aggregation;
using static Advisor.UnitTests.Aggregation.SyscallStream;

namespace Advisor.UnitTests.Rules;

/// <summary>
/// Advice fits what the calls touched: a folder listed in a loop is advised a FileSystemWatcher, a socket its
/// own buffering, and advice written for a regular file is not given for a directory, a socket or a pipe.
/// </summary>
public class FdKindAdviceTests
{
    private const int Pid = 10;
    private const int Main = 10;
    private const long Us = 1_000;
    private const ulong InboxPathAt = 0x5555_0000_2000;
    private const ulong OpenDirectory = 0x90000; // O_RDONLY | O_DIRECTORY | O_CLOEXEC, as opendir opens

    private static readonly RuleCatalog Catalog = RuleCatalog.BuiltIn();

    private readonly SyscallStream _s = new SyscallStream(Pid)
        .Thread(Main, "consumer")
        .File(3, "/srv/inbox/")
        .File(4, "/srv/orders.log")
        .File(5, "tcp 127.0.0.1:41234 → 127.0.0.1:5000");

    private IReadOnlyList<Finding> Run(long durationNs = Second) => RuleEngine.Run(Catalog, _s.Snapshot(durationNs));

    /// <summary>Directory.EnumerateFiles: opendir (an openat of the folder), two getdents64 and a close.</summary>
    private static void List(SyscallStream s, long atNs, int fd = 3)
    {
        s.Call(Main, "openat", atNs, 4 * Us, ret: fd, arg0: unchecked((ulong)-100), arg1: InboxPathAt, arg2: OpenDirectory);
        s.Call(Main, "getdents64", atNs + (5 * Us), 3 * Us, ret: 96, arg0: (ulong)fd);
        s.Call(Main, "getdents64", atNs + (9 * Us), 1 * Us, ret: 0, arg0: (ulong)fd);
        s.Call(Main, "close", atNs + (11 * Us), 1 * Us, ret: 0, arg0: (ulong)fd);
    }

    private static IReadOnlyList<string> Texts(Finding finding) => finding.Advice.Select(a => a.Text).ToList();

    // ---- a folder ----

    [Fact]
    public void A_folder_opened_again_and_again_to_list_it_is_advised_a_FileSystemWatcher_not_to_keep_a_file_open()
    {
        for (var i = 0; i < 1_000; i++)
        {
            List(_s, i * 1_000 * Us);
        }

        var finding = Run().ShouldHaveSingleItem();

        finding.RuleId.ShouldBe("ADV007");
        finding.Evidence.Path.ShouldBe("/srv/inbox/");
        finding.Advice[0].Text.ShouldContain("FileSystemWatcher");
        finding.Advice[0].After.ShouldNotBeNull().ShouldContain("new FileSystemWatcher(");
        Texts(finding).ShouldAllBe(t => !t.Contains("Keep the file open", StringComparison.Ordinal));
    }

    [Fact]
    public void A_file_opened_again_and_again_is_still_advised_to_keep_it_open()
    {
        for (var i = 0; i < 1_000; i++)
        {
            _s.Call(Main, "pwrite64", i * 1_000 * Us, 3 * Us, ret: 12, arg0: 4);
            _s.Call(Main, "close", (i * 1_000 * Us) + (10 * Us), 1 * Us, ret: 0, arg0: 4);
        }

        var finding = Run().ShouldHaveSingleItem();

        finding.RuleId.ShouldBe("ADV007");
        Texts(finding).ShouldHaveSingleItem().ShouldStartWith("Keep the file open");
    }

    [Fact]
    public void Sleeps_between_listings_of_a_folder_are_advised_a_FileSystemWatcher_not_an_event_another_thread_sets()
    {
        // Thread.Sleep(2) while the folder is empty: a futex that times out, and a listing each time round; and
        // each file found read and closed, as many calls on files as on the folder but each on its own path.
        for (var i = 0; i < 400; i++)
        {
            var at = i * 2_500 * Us;
            List(_s, at);
            _s.Introspector.Fds[(Pid, 6)] = $"/srv/inbox/order-{i}.xml";
            _s.Call(Main, "read", at + (12 * Us), 2 * Us, ret: 20, arg0: 6);
            _s.Call(Main, "read", at + (14 * Us), 1 * Us, ret: 0, arg0: 6);
            _s.Call(Main, "fstat", at + (15 * Us), 1 * Us, ret: 0, arg0: 6);
            _s.Call(Main, "close", at + (16 * Us), 1 * Us, ret: 0, arg0: 6);
            _s.Call(Main, "futex", at + (20 * Us), 2_000 * Us, ret: -110);
        }

        var finding = Run().ShouldHaveSingleItem();

        finding.RuleId.ShouldBe("ADV009");
        finding.Advice[0].Text.ShouldContain("FileSystemWatcher");
        Texts(finding).ShouldAllBe(t => !t.Contains("signal an event", StringComparison.Ordinal));
    }

    [Fact]
    public void Sleeps_that_only_now_and_then_write_a_log_line_are_still_advised_an_event()
    {
        for (var i = 0; i < 400; i++)
        {
            if (i % 50 == 0)
            {
                _s.Call(Main, "write", i * 2_500 * Us, 3 * Us, ret: 40, arg0: 4);
            }

            _s.Call(Main, "futex", (i * 2_500 * Us) + (20 * Us), 2_000 * Us, ret: -110);
        }

        var finding = Run().ShouldHaveSingleItem();

        finding.RuleId.ShouldBe("ADV009");
        Texts(finding).ShouldHaveSingleItem().ShouldContain("signal an event");
    }

    [Fact]
    public void A_folder_recorded_as_one_is_still_one_when_the_recording_is_replayed()
    {
        // What /proc answered (the folder, with its '/') is written down with the recording and answered again.
        var live = new FakeIntrospector();
        live.Fds[(Pid, 3)] = "/srv/inbox/";
        var recorded = new RecordingIntrospector(live);
        var recording = new SyscallAggregator(SyscallStream.Catalog, recorded, OriginNs);
        Listings(recording);
        var replay = new SyscallAggregator(SyscallStream.Catalog, new ReplayIntrospector(recorded.Answers), OriginNs);
        Listings(replay);

        var finding = RuleEngine.Run(Catalog, new AggregateSnapshot(replay.Snapshot(OriginNs + Second))).ShouldHaveSingleItem();

        finding.Evidence.Path.ShouldBe("/srv/inbox/");
        finding.Advice[0].Text.ShouldContain("FileSystemWatcher");
    }

    private static void Listings(SyscallAggregator aggregator)
    {
        void Call(string syscall, long atNs, long ret, ulong arg0, ulong arg1 = 0, ulong arg2 = 0) =>
            aggregator.OnSyscall(new Advisor.Core.Events.SyscallEvent(Pid, Main, Nr(syscall), OriginNs + atNs, 3 * Us, ret, arg0, arg1, arg2, 0));

        for (var i = 0; i < 1_000; i++)
        {
            var at = i * 1_000 * Us;
            Call("openat", at, 3, unchecked((ulong)-100), InboxPathAt, OpenDirectory);
            Call("getdents64", at + (5 * Us), 96, 3);
            Call("close", at + (10 * Us), 0, 3);
        }
    }

    // ---- sockets and pipes ----

    [Fact]
    public void Small_sends_on_a_stream_socket_are_advised_to_send_whole_messages_not_a_FileStream_buffer()
    {
        _s.Repeat(5_000, Main, "sendto", durationNs: 5 * Us, ret: 64, arg0: 5);

        var finding = Run().ShouldHaveSingleItem();

        finding.RuleId.ShouldBe("ADV002");
        Texts(finding).ShouldHaveSingleItem().ShouldContain("BufferedStream");
        Texts(finding).ShouldAllBe(t => !t.Contains("FileStream a real buffer", StringComparison.Ordinal));
    }

    [Fact]
    public void Small_reads_from_a_pipe_are_advised_a_larger_read_not_a_FileStream_buffer()
    {
        _s.File(6, "pipe:[4242]");
        _s.Repeat(20_000, Main, "read", durationNs: 3 * Us, ret: 16, arg0: 6);

        var finding = Run().ShouldHaveSingleItem();

        finding.RuleId.ShouldBe("ADV003");
        Texts(finding).ShouldHaveSingleItem().ShouldContain("PipeReader");
    }

    // ---- how entries are chosen ----

    private static readonly RuleDefinition Rule = RuleLoader.Load("""
        id: TEAM002
        name: kinds
        title: Kinds
        severity: warning
        when: count > 0
        message: "{count}"
        advice:
          - text: General.
          - match: { fd: directory }
            text: For a folder.
          - match: { frame: 'MyApp\.Inbox' }
            text: For the inbox.
          - match: { syscall: '^getdents64$', fd: 'directory|none' }
            text: For listings.
        """, "team/TEAM002-kinds.yaml");

    private static IReadOnlyList<string> Selected(IReadOnlyCollection<string> frames, params FdKind[] kinds) =>
        ConditionRule.SelectAdvice(Rule, new AdviceSubject(frames.ToList(), [], kinds.ToHashSet(), ["openat"])).Select(a => a.Text).ToList();

    [Fact]
    public void An_entry_written_for_a_kind_replaces_the_general_advice_for_that_kind_only()
    {
        Selected([], FdKind.Directory).ShouldBe(["For a folder."]);
        Selected([], FdKind.File).ShouldBe(["General."]);
        Selected([], FdKind.None).ShouldBe(["General."]);
        // A finding about a folder and a file: each gets its advice.
        Selected([], FdKind.Directory, FdKind.File).ShouldBe(["For a folder.", "General."]);
    }

    [Fact]
    public void Specific_entries_come_first_and_need_every_selector_to_match()
    {
        Selected(["MyApp.Inbox.Poll"], FdKind.Directory).ShouldBe(["For the inbox.", "For a folder."]);
        Selected(["MyApp.Inbox.Poll"], FdKind.File).ShouldBe(["For the inbox.", "General."]);
        // The listings entry needs getdents64 among the calls: this subject made openat only.
        ConditionRule.SelectAdvice(Rule, new AdviceSubject([], [], new HashSet<FdKind> { FdKind.Directory }, ["getdents64"]))
            .Select(a => a.Text).ShouldBe(["For listings.", "For a folder."]);
    }

    [Fact]
    public void A_hang_findings_path_alone_tells_its_kind()
    {
        var hung = RuleCatalog.BuiltIn().Rules.Single(r => r.Id == "ADV015");

        ConditionRule.SelectAdvice(hung, [], "pipe:[81]")[0].Text.ShouldContain("other end of the pipe");
        ConditionRule.SelectAdvice(hung, [], "tcp 10.0.0.1:40000 → 10.0.0.9:5432")[0].Text.ShouldContain("deadline");
        ConditionRule.SelectAdvice(hung, [], "/var/lib/app/lock")[0].Text.ShouldContain("Bound the wait");
    }

    [Fact]
    public void Rule_pages_say_which_kinds_an_entry_fits()
    {
        Rule.Advice[1].Conditions(p => $"`{p}`").ShouldBe(["the fd is a directory"]);
        Rule.Advice[3].Conditions(p => $"`{p}`").ShouldBe(["the call matches `^getdents64$`", "the fd is a directory or none"]);
    }
}
