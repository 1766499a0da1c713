using Advisor.Cli.Rendering;
using Advisor.Core.Aggregation;
using Advisor.Core.Gates;
using Advisor.Core.Reporting;
using Advisor.Core.Rules;
using static Advisor.UnitTests.Aggregation.SyscallStream;

namespace Advisor.UnitTests.Aggregation;

/// <summary>
/// What the target does only because it is observed — its runtime streaming EventPipe events to the tool over the
/// diagnostic socket — is the tool's: out of the table, the totals, the rules and the gates, and shown on its own.
/// </summary>
public class ObserverCallsTests
{
    private const int Pid = 10;
    private const int Main = 10;
    private const int EventPipe = 12;
    private const int Diagnostics = 9;
    private const int AppSocket = 8;
    private const int Log = 3;
    private const long Us = 1_000;

    private static readonly RuleCatalog Catalog = RuleCatalog.BuiltIn();

    private readonly SyscallStream _s = new SyscallStream(Pid)
        .Thread(Main, "formatter")
        .Thread(EventPipe, ".NET EventPipe")
        .File(Log, "/tmp/format.log")
        .File(AppSocket, "unix /run/app.sock")
        .ObserverSocket(Diagnostics);

    /// <summary>The runtime's side of an EventPipe session: a connect, its command read, then its event blocks sent.</summary>
    private void Session(int sends, long bytesEach, int fd = Diagnostics)
    {
        _s.Call(EventPipe, "connect", 0, 20 * Us, ret: 0, arg0: (ulong)fd);
        _s.Call(EventPipe, "recvfrom", 30 * Us, 5 * Us, ret: 60, arg0: (ulong)fd);
        _s.Repeat(sends, EventPipe, "sendto", durationNs: 30 * Us, ret: bytesEach, arg0: (ulong)fd, fromNs: 100 * Us);
    }

    private void AppWork()
    {
        _s.Repeat(400, Main, "write", durationNs: 2 * Us, ret: 4096, arg0: Log);
        _s.Repeat(200, Main, "read", durationNs: 2 * Us, ret: 8192, arg0: Log);
    }

    [Fact]
    public void The_observers_calls_are_counted_apart_and_in_no_total_table_timeline_or_conversation()
    {
        AppWork();
        Session(sends: 751, bytesEach: 5_800);

        var snapshot = _s.Snapshot();

        snapshot.Rows.ShouldAllBe(r => r.Fd == null || !r.Fd.Observer);
        snapshot.Rows.Select(r => r.Syscall).Distinct().Order().ShouldBe(["read", "write"]);
        snapshot.EventsTotal.ShouldBe(600);
        _s.Aggregator.EventsTotal.ShouldBe(600 + 753); // delivered: the recorder saw them all
        snapshot.Timeline.Counts.Keys.ShouldBe([Nr("write"), Nr("read")], ignoreOrder: true);
        snapshot.ConversationsByFdSlot.ShouldBeEmpty();
        snapshot.RunsByFdSlot.Values.Sum(r => r.WriteCalls).ShouldBe(400);

        var observer = snapshot.ObserverRows.ToDictionary(r => r.Syscall);
        observer.Keys.Order().ShouldBe(["connect", "recvfrom", "sendto"]);
        observer["sendto"].Stats.Count.ShouldBe(751);
        observer["sendto"].Stats.Bytes.ShouldBe(751 * 5_800);
        observer["sendto"].Tid.ShouldBe(EventPipe);
        observer["sendto"].Fd!.Observer.ShouldBeTrue();
    }

    [Fact]
    public void Small_sends_to_the_observer_raise_no_finding_where_the_same_sends_of_the_app_do()
    {
        Session(sends: 5_000, bytesEach: 64);
        RuleEngine.Run(Catalog, _s.Snapshot()).ShouldBeEmpty();

        var app = new SyscallStream(Pid).Thread(EventPipe, "sender").File(AppSocket, "unix /run/app.sock");
        app.Call(EventPipe, "connect", 0, 20 * Us, ret: 0, arg0: AppSocket);
        app.Call(EventPipe, "recvfrom", 30 * Us, 5 * Us, ret: 60, arg0: AppSocket);
        app.Repeat(5_000, EventPipe, "sendto", durationNs: 30 * Us, ret: 64, arg0: AppSocket, fromNs: 100 * Us);
        RuleEngine.Run(Catalog, app.Snapshot()).ShouldContain(f => f.RuleId == "ADV002");
    }

    [Fact]
    public void The_report_shows_the_observer_apart_and_a_budget_of_no_sends_passes()
    {
        AppWork();
        Session(sends: 751, bytesEach: 5_800);

        var report = Report(_s.Snapshot());

        report.Summary.Syscalls.Select(s => s.Name).ShouldNotContain("sendto");
        report.Session.EventsTotal.ShouldBe(report.Summary.Syscalls.Sum(s => s.Count));
        report.Threads.Single(t => t.Tid == EventPipe).Syscalls.ShouldBe(0);
        var sends = report.Session.Observer.ShouldNotBeNull().Syscalls[0];
        (sends.Name, sends.Count, sends.Bytes).ShouldBe(("sendto", 751L, 751L * 5_800));
        var budget = new Budget(new Dictionary<string, long> { ["sendto"] = 0, ["connect"] = 0 }, new Dictionary<string, long>(), [], "budget.yaml");
        Gate.Within(report, budget).ShouldBeEmpty();
        report.Session.Observer.Describe().ShouldBe(
            "observer: 751 sendto, 1 connect, 1 recvfrom, 4.4 MB to dotnet-advisor (its sessions; not in the counts, rules or gates)");
    }

    [Fact]
    public void Without_an_observer_the_report_has_no_observer_part()
    {
        AppWork();

        Report(_s.Snapshot()).Session.Observer.ShouldBeNull();
    }

    [Fact]
    public void An_fd_number_the_observer_closed_and_the_app_reused_is_the_apps_again()
    {
        Session(sends: 10, bytesEach: 100);
        _s.Call(EventPipe, "close", 2 * Second / 10, 5 * Us, ret: 0, arg0: Diagnostics);
        _s.Introspector.ObserverFds.Clear(); // the same number, now the app's own unnamed unix socket

        _s.Call(Main, "connect", 3 * Second / 10, 20 * Us, ret: 0, arg0: Diagnostics);
        _s.Repeat(7, Main, "sendto", durationNs: 10 * Us, ret: 100, arg0: Diagnostics, fromNs: 4 * Second / 10, spanNs: Second / 10);

        var snapshot = _s.Snapshot();

        var appSends = snapshot.Rows.Single(r => r.Syscall == "sendto");
        (appSends.Stats.Count, appSends.Tid, appSends.Fd!.Observer).ShouldBe((7L, Main, false));
        snapshot.ObserverRows.Single(r => r.Syscall == "sendto").Stats.Count.ShouldBe(10);
        snapshot.ObserverRows.ShouldContain(r => r.Syscall == "close");
    }

    [Fact]
    public void A_command_connection_closed_before_it_was_described_is_the_observers_by_where_it_connected()
    {
        const ulong PortAddress = 0x7f00_0000_1000; // the runtime's copy of the diagnostic port's sockaddr
        const ulong ServerAddress = 0x7f00_0000_2000;
        _s.Introspector.ObserverAddresses.Add(PortAddress);

        // fd 29 answers one command and is gone before the drain gets to it; fd 28 too, and its number holds a file by
        // then; so is the app's fd 30 afterwards.
        _s.File(28, "/src/Program.cs");
        foreach (var fd in new ulong[] { 29, 28 })
        {
            _s.Call(EventPipe, "connect", 0, 20 * Us, ret: 0, arg0: fd, arg1: PortAddress, arg2: 110);
            _s.Call(EventPipe, "sendto", 30 * Us, 5 * Us, ret: 34, arg0: fd);
            _s.Call(EventPipe, "recvfrom", 40 * Us, 5 * Us, ret: 20, arg0: fd);
            _s.Call(EventPipe, "sendto", 50 * Us, 5 * Us, ret: 24, arg0: fd);
            _s.Call(EventPipe, "close", 60 * Us, 5 * Us, ret: 0, arg0: fd);
        }

        _s.Call(Main, "connect", 100 * Us, 20 * Us, ret: 0, arg0: 30, arg1: ServerAddress, arg2: 110);
        _s.Call(Main, "sendto", 130 * Us, 5 * Us, ret: 34, arg0: 30);

        var snapshot = _s.Snapshot();

        var observerSends = snapshot.ObserverRows.Where(r => r.Syscall == "sendto").ToList();
        observerSends.Select(r => (r.Fd!.Fd, r.Stats.Count, r.Fd.Resolved)).ShouldBe([(29, 2L, false), (28, 2L, false)], ignoreOrder: true);
        var appSend = snapshot.Rows.Single(r => r.Syscall == "sendto");
        (appSend.Tid, appSend.Fd!.Fd, appSend.Fd.Observer).ShouldBe((Main, 30, false));
    }

    [Fact]
    public void A_connection_the_diagnostic_server_accepted_and_closed_before_it_was_described_is_the_observers()
    {
        const int Server = 11;
        _s.Introspector.Fds[(Pid, Server)] = "unix /tmp/dotnet-diagnostic-10-4711-socket";
        _s.Introspector.ObserverFds.Add((Pid, Server));

        _s.Call(Main, "accept4", 0, 20 * Us, ret: 31, arg0: Server);
        _s.Call(Main, "recvfrom", 30 * Us, 5 * Us, ret: 20, arg0: 31);
        _s.Call(Main, "sendto", 40 * Us, 5 * Us, ret: 24, arg0: 31);
        _s.Call(Main, "close", 50 * Us, 5 * Us, ret: 0, arg0: 31);
        _s.Call(Main, "openat", 60 * Us, 5 * Us, ret: 31, arg0: unchecked((ulong)-100), arg2: 0x241);
        _s.Call(Main, "write", 70 * Us, 5 * Us, ret: 24, arg0: 31);

        var snapshot = _s.Snapshot();

        snapshot.ObserverRows.Select(r => r.Syscall).Order().ShouldBe(["accept4", "close", "recvfrom", "sendto"]);
        snapshot.Rows.Single(r => r.Syscall == "write").Fd!.Observer.ShouldBeFalse("the number, reused for a file, is the app's");
    }

    private static AdvisorReport Report(AggregateSnapshot snapshot) =>
        ReportBuilder.Analyse(
            new ToolInfo("dotnet-advisor", "0.1.0"), new TargetInfo(Pid, "formatter", "dotnet formatter.dll", "10.0.12", IsDotNet: true), "bpf", [], snapshot, Catalog);
}
