using Advisor.Core.Hang;
using Advisor.Core.Hang.Verdicts;
using Advisor.Core.Rules;
using Advisor.Core.Rules.Configuration;
using Advisor.Core.Stacks;
using Advisor.Core.Threads;

namespace Advisor.UnitTests.Hang;

/// <summary>The verdicts of <c>hang</c> over hand-built snapshots: each cause, and what is not one.</summary>
public class HangVerdictsTests
{
    private const double Window = 1_500;

    private static readonly RuleCatalog Catalog = RuleCatalog.BuiltIn();

    private static CallStack Stack(params string[] frames) => PoolWorkerTests.Stack(frames);

    private static HangThread Blocked(int tid, string name, string syscall, double forMs, CallStack? stack = null, ThreadRole role = ThreadRole.UserNamed, int? fd = null, string? on = null) =>
        new(tid, name, role, ThreadActivity.Blocked, 'S', "", syscall, fd, on, forMs, 0, stack ?? CallStack.Empty);

    private static HangThread Running(int tid, string name, double cpuMs, CallStack? stack = null) =>
        new(tid, name, ThreadRole.UserNamed, ThreadActivity.Running, 'R', "", null, null, null, null, cpuMs, stack ?? CallStack.Empty);

    private static HangSnapshot Snapshot(IReadOnlyList<HangThread> threads, RuntimeState? runtime = null) =>
        new(100, "myapp", "dotnet myapp.dll", Window, threads, runtime, []);

    private static RuntimeState Runtime(IReadOnlyList<MonitorLock>? locks = null, int workers = 0, int minThreads = 2) =>
        new("10.0.0", [], locks ?? [], workers, 0, minThreads, null);

    [Fact]
    public void Two_threads_each_holding_the_lock_the_other_waits_for_are_a_deadlock_naming_both_locks_and_stacks()
    {
        var snapshot = Snapshot(
            [
                Blocked(101, "transfer-a-b", "futex", 8_000, Stack("System.Threading.Monitor.Enter", "Bank.TransferAtoB")),
                Blocked(102, "transfer-b-a", "futex", 8_000, Stack("System.Threading.Monitor.Enter", "Bank.TransferBtoA")),
            ],
            Runtime([new MonitorLock(0xA0, "Bank.Account", 101, [102]), new MonitorLock(0xB0, "Bank.Ledger", 102, [101])]));

        var analysis = HangVerdicts.Analyse(snapshot, Catalog);

        analysis.Verdict.Kind.ShouldBe(VerdictKind.Deadlock);
        var finding = analysis.Findings.ShouldHaveSingleItem();
        finding.RuleId.ShouldBe("ADV016");
        finding.Message.ShouldBe(
            "2 threads wait on each other: transfer-a-b (tid 101) holds Bank.Account and waits for Bank.Ledger from Bank.TransferAtoB → Monitor.Enter; "
            + "transfer-b-a (tid 102) holds Bank.Ledger and waits for Bank.Account from Bank.TransferBtoA → Monitor.Enter");
        finding.Stacks.Count.ShouldBe(2);
        finding.Evidence.Threads.Select(t => t.Name).ShouldBe(["transfer-a-b", "transfer-b-a"]);
    }

    [Fact]
    public void A_thread_waiting_for_a_lock_held_by_a_running_thread_is_contention_not_a_deadlock()
    {
        var snapshot = Snapshot(
            [Blocked(101, "waiter", "futex", 2_000), Running(102, "holder", 1_400)],
            Runtime([new MonitorLock(0xA0, "Cache", 102, [101])]));

        HangVerdicts.Analyse(snapshot, Catalog).Verdict.Kind.ShouldBe(VerdictKind.Busy);
    }

    [Fact]
    public void Pool_workers_all_blocked_in_application_code_are_starvation()
    {
        var wait = Stack("System.Threading.Tasks.Task.Wait", "MyApp.Handler.Get", "System.Threading.ThreadPoolWorkQueue.Dispatch");
        var workers = Enumerable.Range(0, 6)
            .Select(i => Blocked(200 + i, ".NET TP Worker", "futex", 3_000 + i, wait, ThreadRole.ThreadPoolWorker))
            .ToList();

        var analysis = HangVerdicts.Analyse(Snapshot(workers, Runtime(workers: 6)), Catalog);

        analysis.Verdict.Kind.ShouldBe(VerdictKind.ThreadPoolStarvation);
        var finding = analysis.Findings.ShouldHaveSingleItem();
        finding.RuleId.ShouldBe("ADV005");
        finding.Message.ShouldStartWith("6 of 6 thread-pool workers are blocked inside work items");
        finding.Message.ShouldEndWith("they wait in MyApp.Handler.Get → Task.Wait");
    }

    [Fact]
    public void Idle_pool_workers_waiting_for_work_are_not_starvation()
    {
        var workers = Enumerable.Range(0, 4).Select(i => Blocked(200 + i, ".NET TP Worker", "futex", 5_000, Stack(PoolWorkerTests.Parked), ThreadRole.ThreadPoolWorker)).ToList();

        var analysis = HangVerdicts.Analyse(Snapshot(workers, Runtime(workers: 4)), Catalog);

        analysis.Verdict.Kind.ShouldBe(VerdictKind.Idle);
        analysis.Verdict.Summary.ShouldBe("not hung, idle: no thread is on the CPU or stuck in I/O, 4 wait for work");
        analysis.Findings.ShouldBeEmpty();
    }

    [Fact]
    public void Minimal_API_workers_blocked_in_Task_Wait_with_no_application_frame_are_starvation_naming_the_call_the_handler_and_the_endpoint()
    {
        var request = new ServedRequest("GET", "/orders/17", "HTTP: GET /orders/{id:int}");
        var workers = Enumerable.Range(0, 28)
            .Select(i => PoolWorkerTests.Worker(200 + i, ThreadActivity.Blocked, i % 2 == 0 ? PoolWorkerTests.MinimalApiWait : PoolWorkerTests.KestrelLambdaWait[..7].Concat(PoolWorkerTests.KestrelLambdaWait[8..]).ToArray(), request))
            .ToList();

        var analysis = HangVerdicts.Analyse(Snapshot(workers, Runtime(workers: 28)), Catalog);

        analysis.Verdict.Kind.ShouldBe(VerdictKind.ThreadPoolStarvation);
        var finding = analysis.Findings.ShouldHaveSingleItem();
        finding.RuleId.ShouldBe("ADV005");
        finding.Message.ShouldStartWith("28 of 28 thread-pool workers are blocked inside work items (longest 4.0 s)");
        finding.Message.ShouldEndWith("they wait in lambda_method1 → Task.Wait, for HTTP: GET /orders/{id:int}");
        finding.Evidence.Threads.Count.ShouldBe(28);
        analysis.Verdict.Summary.ShouldBe(finding.Message);
    }

    [Fact]
    public void Blocked_workers_among_parked_ones_are_starvation_once_they_are_most_of_the_pool()
    {
        var workers = Enumerable.Range(0, 6).Select(i => PoolWorkerTests.Worker(200 + i, ThreadActivity.Blocked, PoolWorkerTests.KestrelLambdaWait))
            .Concat(Enumerable.Range(0, 2).Select(i => PoolWorkerTests.Worker(300 + i, ThreadActivity.Blocked, PoolWorkerTests.Parked)))
            .ToList();

        var analysis = HangVerdicts.Analyse(Snapshot(workers, Runtime(workers: 8)), Catalog);

        analysis.Verdict.Kind.ShouldBe(VerdictKind.ThreadPoolStarvation);
        analysis.Findings.ShouldHaveSingleItem().Message.ShouldStartWith("6 of 8 thread-pool workers are blocked inside work items");
        analysis.Findings[0].Evidence.Threads.Select(t => t.Tid).ShouldBe(Enumerable.Range(200, 6));
    }

    [Fact]
    public void A_few_blocked_workers_beside_parked_ones_are_idle_but_not_counted_as_waiting_for_work()
    {
        var workers = new[] { PoolWorkerTests.Worker(200, ThreadActivity.Blocked, PoolWorkerTests.MinimalApiWait) }
            .Concat(Enumerable.Range(0, 3).Select(i => PoolWorkerTests.Worker(300 + i, ThreadActivity.Blocked, PoolWorkerTests.Parked) with { BlockedForMs = 9_000 }))
            .ToList();

        var analysis = HangVerdicts.Analyse(Snapshot(workers, Runtime(workers: 4)), Catalog);

        analysis.Verdict.Kind.ShouldBe(VerdictKind.Idle);
        analysis.Verdict.Summary.ShouldBe(
            "not hung, idle: no thread is on the CPU or stuck in I/O, 3 wait for work; 1 thread-pool worker is blocked inside work items (in lambda_method1 → Task.Wait); "
            + "the longest wait: .NET TP Worker (tid 200), 4.0 s in futex");
        analysis.Findings.ShouldBeEmpty();
    }

    [Fact]
    public void The_requests_in_flight_are_the_threads_serving_one_longest_blocked_first()
    {
        var orders = new ServedRequest("GET", "/orders/17", "HTTP: GET /orders/{id:int}");
        var threads = new[]
        {
            PoolWorkerTests.Worker(200, ThreadActivity.Blocked, PoolWorkerTests.MinimalApiWait, orders) with { BlockedForMs = 2_000 },
            PoolWorkerTests.Worker(201, ThreadActivity.Blocked, PoolWorkerTests.KestrelLambdaWait) with { BlockedForMs = 6_000 },
            PoolWorkerTests.Worker(202, ThreadActivity.Waking, PoolWorkerTests.MinimalApiWait, orders),
            PoolWorkerTests.Worker(203, ThreadActivity.Blocked, PoolWorkerTests.Parked),
            Blocked(204, "fetcher", "recvfrom", 500, Stack("System.Net.Sockets.NetworkStream.Read", "MyApp.Fetcher.Fetch")),
        };

        var requests = HangVerdicts.Analyse(Snapshot(threads, Runtime(workers: 4)), Catalog).Requests;

        requests.Select(r => r.Thread.Tid).ShouldBe([201, 200, 202]);
        requests[0].Request.ShouldBeNull(); // only Kestrel's frames say it is a request
        requests[0].BlockingCall.ShouldBe("Task.Wait");
        requests[0].Handler.ShouldBe("Shop.Program.Main (lambda)");
        requests[0].BlockedForMs.ShouldBe(6_000);
        requests[1].Request.ShouldBe(orders);
        requests[1].Handler.ShouldBe("lambda_method1");
        requests[2].BlockedForMs.ShouldBeNull();
        requests[2].BlockingCall.ShouldBeNull();
    }

    [Fact]
    public void A_socket_read_with_no_answer_is_a_hung_thread_waiting_for_its_server()
    {
        var thread = Blocked(
            101, "fetcher", "recvfrom", 42_000, Stack("System.Net.Sockets.NetworkStream.Read", "MyApp.Fetcher.Fetch"),
            fd: 23, on: "tcp 127.0.0.1:41000 → 127.0.0.1:9000");

        var analysis = HangVerdicts.Analyse(Snapshot([thread]), Catalog);

        analysis.Verdict.Kind.ShouldBe(VerdictKind.BlockedOnIo);
        var finding = analysis.Findings.ShouldHaveSingleItem();
        finding.RuleId.ShouldBe("ADV015");
        finding.Message.ShouldBe(
            "fetcher (tid 101) has been waiting 42.0 s for a TCP service at 127.0.0.1:9000 in MyApp.Fetcher.Fetch → NetworkStream.Read; "
            + "blocked in recvfrom, its connection fd 23 tcp 127.0.0.1:41000 → 127.0.0.1:9000");
        finding.Evidence.Path.ShouldBe("tcp 127.0.0.1:41000 → 127.0.0.1:9000");
        finding.Evidence.MaxMs.ShouldBe(42_000);
        finding.Advice[0].Text.ShouldStartWith("Give every network wait a deadline");
    }

    [Theory]
    [InlineData("accept4")]
    [InlineData("epoll_wait")]
    [InlineData("futex")]
    public void Waiting_for_new_work_by_design_is_idle(string syscall)
    {
        var analysis = HangVerdicts.Analyse(Snapshot([Blocked(101, "server", syscall, 60_000)]), Catalog);

        analysis.Verdict.Kind.ShouldBe(VerdictKind.Idle);
        analysis.Verdict.Summary.ShouldContain($"the longest wait: server (tid 101), 60.0 s in {syscall}");
        analysis.Findings.ShouldBeEmpty();
    }

    [Fact]
    public void The_runtimes_own_threads_reading_their_pipes_are_not_stuck()
    {
        var analysis = HangVerdicts.Analyse(Snapshot([Blocked(101, ".NET SigHandler", "read", 60_000, role: ThreadRole.RuntimeService)]), Catalog);

        analysis.Findings.ShouldBeEmpty();
    }

    [Fact]
    public void A_short_blocking_read_is_below_the_threshold_and_the_threshold_can_be_raised()
    {
        var thread = Blocked(101, "fetcher", "read", 5_000);
        var config = ConfigLoader.Load("rules:\n  ADV015:\n    thresholds:\n      minBlockedMs: 10s\n", "advisor.yaml", "/tmp");

        HangVerdicts.Analyse(Snapshot([thread]), Catalog).Verdict.Kind.ShouldBe(VerdictKind.BlockedOnIo);
        HangVerdicts.Analyse(Snapshot([thread]), Catalog.Apply(config)).Verdict.Kind.ShouldBe(VerdictKind.Idle);
    }

    [Fact]
    public void Threads_on_the_CPU_are_busy_not_hung()
    {
        var analysis = HangVerdicts.Analyse(
            Snapshot([Running(101, "cruncher-1", 1_480, Stack("Crunch.Primes")), Running(102, "cruncher-2", 1_470, Stack("Crunch.Primes"))]), Catalog);

        analysis.Verdict.Kind.ShouldBe(VerdictKind.Busy);
        analysis.Verdict.Summary.ShouldStartWith("not hung, busy: 2 threads are on the CPU — cruncher-1 (tid 101) 99 % CPU from Crunch.Primes");
        analysis.Findings.ShouldBeEmpty();
    }

    [Fact]
    public void Workers_that_wait_between_requests_but_share_a_real_part_of_a_CPU_are_busy_not_idle()
    {
        // Kestrel's pool under wrk: each worker is found in a wait, each used a little of the window.
        var workers = Enumerable.Range(0, 6)
            .Select(i => Blocked(200 + i, ".NET TP Worker", "epoll_wait", 2, role: ThreadRole.ThreadPoolWorker) with { CpuMs = 120 + (10 * i) })
            .ToList();

        var verdict = HangVerdicts.Analyse(Snapshot(workers), Catalog).Verdict;

        verdict.Kind.ShouldBe(VerdictKind.Busy);
        verdict.Summary.ShouldStartWith("not hung, busy: 6 threads used 58 % of a CPU between waits — .NET TP Worker (tid 205) 11 %");
    }

    [Fact]
    public void Waiting_threads_that_used_a_moment_of_CPU_are_still_idle()
    {
        var workers = Enumerable.Range(0, 6)
            .Select(i => Blocked(200 + i, ".NET TP Worker", "futex", 20_000, role: ThreadRole.ThreadPoolWorker) with { CpuMs = 10 })
            .ToList();

        HangVerdicts.Analyse(Snapshot(workers), Catalog).Verdict.Kind.ShouldBe(VerdictKind.Idle);
    }

    [Fact]
    public void A_runnable_thread_that_got_little_CPU_on_a_loaded_machine_is_still_busy()
    {
        var spinner = Running(101, "cruncher-1", 150) with { State = 'R' };

        HangVerdicts.Analyse(Snapshot([spinner]), Catalog).Verdict.Kind.ShouldBe(VerdictKind.Busy);
    }

    [Fact]
    public void The_runtimes_own_threads_compiling_are_not_a_busy_process()
    {
        var tiering = Running(101, ".NET Tiered Com", 1_400) with { Role = ThreadRole.TieredCompilation };

        HangVerdicts.Analyse(Snapshot([tiering]), Catalog).Verdict.Kind.ShouldBe(VerdictKind.Idle);
    }

    [Fact]
    public void A_deadlock_is_the_verdict_even_when_threads_also_wait_on_io()
    {
        var snapshot = Snapshot(
            [Blocked(101, "a", "futex", 8_000), Blocked(102, "b", "futex", 8_000), Blocked(103, "fetcher", "recvfrom", 8_000)],
            Runtime([new MonitorLock(0xA0, "A", 101, [102]), new MonitorLock(0xB0, "B", 102, [101])]));

        var analysis = HangVerdicts.Analyse(snapshot, Catalog);

        analysis.Verdict.Kind.ShouldBe(VerdictKind.Deadlock);
        analysis.Findings.Select(f => f.RuleId).ShouldBe(["ADV016", "ADV015"]);
    }

    [Fact]
    public void Lock_cycles_are_found_once_whatever_thread_they_are_entered_from()
    {
        var cycles = LockCycle.Find(
        [
            new MonitorLock(1, "L1", 10, [30]),
            new MonitorLock(2, "L2", 20, [10]),
            new MonitorLock(3, "L3", 30, [20, 40]),
        ]);

        var cycle = cycles.ShouldHaveSingleItem();
        cycle.Links.Select(l => l.Tid).Order().ShouldBe([10, 20, 30]);
    }

    [Fact]
    public void A_users_rule_naming_an_analyser_is_decided_in_triage_with_its_own_id_severity_and_threshold()
    {
        var team = Core.Rules.Loading.RuleLoader.Load(
            "id: TEAM002\nname: slow-peer\ntitle: Slow peer\nseverity: warning\nanalyser: stuck-io\nthresholds: { minBlockedMs: 3s }\nadvice:\n  - text: Give it a deadline.\n",
            "team/TEAM002.yaml");
        var rules = new RuleCatalog([.. Catalog.Rules, team]);

        var analysis = HangVerdicts.Analyse(Snapshot([Blocked(101, "fetcher", "recvfrom", 500)]), rules);
        analysis.Findings.ShouldBeEmpty(); // below both thresholds

        analysis = HangVerdicts.Analyse(Snapshot([Blocked(101, "fetcher", "recvfrom", 5_000)]), rules);
        analysis.Verdict.Kind.ShouldBe(VerdictKind.BlockedOnIo);
        analysis.Findings.Select(f => (f.RuleId, f.Severity)).ShouldBe([("ADV015", Core.Findings.Severity.Error), ("TEAM002", Core.Findings.Severity.Warning)]);
    }

    [Fact]
    public void Every_analyser_a_rule_may_name_has_its_analyser_and_every_analyser_a_name_rules_know()
    {
        HangAnalysers.All.Select(a => a.Descriptor).ShouldBe(AnalyserDescriptor.All, ignoreOrder: true);
        AnalyserDescriptor.All.ShouldAllBe(d => HangAnalysers.Find(d.Name)!.Descriptor == d);
    }
}
