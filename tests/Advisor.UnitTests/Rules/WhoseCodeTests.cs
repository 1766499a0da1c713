using Advisor.Core.Aggregation;
using Advisor.Core.Findings;
using Advisor.Core.Processes;
using Advisor.Core.Rules;
using Advisor.Core.Stacks;
using Advisor.UnitTests.Aggregation;
using static Advisor.UnitTests.Aggregation.SyscallStream;

namespace Advisor.UnitTests.Rules;

/// <summary>
/// Findings are about the application's code: what the tooling around it does (the test platform's own
/// workers under `dotnet test`, MSBuild, the SDK) is information that says whose it is, never a warning.
/// </summary>
public class WhoseCodeTests
{
    private const int Testhost = 20;
    private const int Worker = 22;
    private const long Us = 1_000;

    private static readonly RuleCatalog Catalog = RuleCatalog.BuiltIn();

    private readonly SyscallStream _s = new SyscallStream(Testhost)
        .Thread(Worker, ".NET TP Worker")
        .File(3, "/tmp/ledger.txt")
        .File(7, "tcp 127.0.0.1:40000 → 127.0.0.1:41000");

    private static StackFrame Native(string name) => new(name, FrameKind.Native);

    private static StackFrame Framework(string name) => new(name, FrameKind.Framework);

    private static StackFrame Tooling(string name) => new(name, FrameKind.Tooling);

    private static StackFrame User(string name) => new(name, FrameKind.User);

    private static readonly CallStack TestPlatformRead = new([
        Native("libc.so.6!recvmsg"), Framework("System.Net.Sockets.Socket.Receive"),
        Tooling("Microsoft.VisualStudio.TestPlatform.CommunicationUtilities.LengthPrefixCommunicationChannel.NotifyDataAvailable"),
        Framework("System.Threading.PortableThreadPool+WorkerThread.WorkerThreadStart")]);

    private static readonly CallStack TestWrite = new([
        Native("libc.so.6!pwrite"), Framework("System.IO.FileStream.Write"), User("LedgerTests.ExportTests.Export_writes_every_line_unbuffered"),
        Tooling("Xunit.Sdk.TestInvoker`1.CallTestMethod")]);

    /// <summary>The test platform's worker blocked on its socket to vstest.console, 300 ms a read.</summary>
    private void TestPlatformWaits() =>
        _s.Repeat(10, Worker, "recvmsg", durationNs: 300_000 * Us, ret: 200, arg0: 7, spanNs: 3 * Second, stackId: 1);

    private AggregateSnapshot Snapshot(IReadOnlyDictionary<int, TracedProcess>? processes = null) => _s.Snapshot(3 * Second) with
    {
        Stacks = new CallStacks(new Dictionary<int, CallStack> { [1] = TestPlatformRead, [2] = TestWrite }),
        Processes = processes ?? new Dictionary<int, TracedProcess> { [Testhost] = new(Testhost, "testhost", "dotnet exec testhost.dll", "10.0.12", null) },
    };

    [Fact]
    public void The_test_platforms_own_blocked_reads_are_info_saying_whose_they_are()
    {
        TestPlatformWaits();

        var finding = RuleEngine.Run(Catalog, Snapshot()).ShouldHaveSingleItem();

        finding.RuleId.ShouldBe("ADV013");
        finding.Severity.ShouldBe(Severity.Info);
        finding.Message.ShouldEndWith(" — the test platform's own calls, not your code");
        finding.Process.ShouldBe(new ProcessRef(Testhost, "testhost"));
    }

    [Fact]
    public void The_same_calls_from_the_applications_code_stay_a_warning()
    {
        var fromTest = new CallStack([Native("libc.so.6!recvmsg"), Framework("System.Net.Sockets.Socket.Receive"), User("MyApp.Client.Fetch")]);
        _s.Repeat(10, Worker, "recvmsg", durationNs: 300_000 * Us, ret: 200, arg0: 7, spanNs: 3 * Second, stackId: 3);
        var snapshot = Snapshot() with { Stacks = new CallStacks(new Dictionary<int, CallStack> { [3] = fromTest }) };

        var finding = RuleEngine.Run(Catalog, snapshot).ShouldHaveSingleItem();

        finding.Severity.ShouldBe(Severity.Warning);
        finding.Message.ShouldContain("from MyApp.Client.Fetch → Socket.Receive");
    }

    [Fact]
    public void A_tests_unbuffered_writes_are_a_warning_naming_the_test_beside_the_platforms_info()
    {
        TestPlatformWaits();
        _s.Repeat(50_000, Worker, "pwrite64", durationNs: 2 * Us, ret: 21, arg0: 3, spanNs: Second, stackId: 2);

        var findings = RuleEngine.Run(Catalog, Snapshot());

        var writes = findings.Single(f => f.RuleId == "ADV002");
        writes.Severity.ShouldBe(Severity.Warning);
        writes.Evidence.Count.ShouldBe(50_000);
        writes.Message.ShouldContain("from LedgerTests.ExportTests.Export_writes_every_line_unbuffered → FileStream.Write");
        // Grouped by call site, the test's writes do not make the platform's waits the application's.
        findings.Single(f => f.RuleId == "ADV013").Severity.ShouldBe(Severity.Info);
    }

    [Fact]
    public void Without_stacks_a_process_that_is_tooling_as_a_whole_owns_its_findings()
    {
        // An MSBuild node probing files: no stacks recorded, but the process says whose it is.
        _s.Repeat(100_000, Worker, "getpid", durationNs: 3 * Us, ret: 0);
        var msbuild = new Dictionary<int, TracedProcess> { [Testhost] = new(Testhost, "MSBuild", "dotnet /usr/share/dotnet/sdk/10.0.401/MSBuild.dll /nodemode:1", "10.0.12", ToolingNames.MsBuild) };

        var finding = RuleEngine.Run(Catalog, Snapshot(msbuild)).ShouldHaveSingleItem();

        finding.RuleId.ShouldBe("ADV001");
        finding.Severity.ShouldBe(Severity.Info);
        finding.Message.ShouldEndWith(" — MSBuild's own calls, not your code");
    }

    [Fact]
    public void The_same_syscall_in_two_processes_is_two_findings_each_naming_its_process()
    {
        // 100,000 calls of 3 µs in each process: 10% of the 3 s recording each, a storm in both.
        _s.Repeat(100_000, Worker, "getpid", durationNs: 3 * Us, ret: 0);
        for (var i = 0; i < 100_000; i++)
        {
            _s.Aggregator.OnSyscall(new Advisor.Core.Events.SyscallEvent(30, 31, Nr("getpid"), OriginNs + (i * 10 * Us), 3 * Us, 0, 0, 0, 0));
        }

        var processes = new Dictionary<int, TracedProcess>
        {
            [Testhost] = new(Testhost, "testhost", "dotnet exec testhost.dll", "10.0.12", null),
            [30] = new(30, "MyApp", "dotnet MyApp.dll", "10.0.12", null),
        };

        var findings = RuleEngine.Run(Catalog, Snapshot(processes));

        findings.Select(f => f.Process!.Name).Order().ShouldBe(["MyApp", "testhost"]);
        findings.ShouldAllBe(f => f.Evidence.Count == 100_000);
    }
}
