using Advisor.Core.Hang;
using Advisor.Core.Stacks;
using Advisor.Core.Threads;
using Advisor.UnitTests.Aggregation;

namespace Advisor.UnitTests.Hang;

/// <summary>Two /proc observations a window apart, joined into what each thread did.</summary>
public class HangThreadsTests
{
    private const int Pid = 100;
    private const long Now = 50_000_000_000;
    private const int Recvfrom = 45;
    private const int Futex = 202;

    private readonly FakeIntrospector _introspector = new();

    /// <param name="cpu">CPU time in the kernel's 10 ms ticks.</param>
    private static ThreadObservation Thread(int tid, string name, char state = 'S', int? syscall = Futex, ulong arg0 = 0x1000, long cpu = 10, long switches = 5, long? lastRan = null) =>
        new(tid, name, state, syscall, syscall is null ? [] : [arg0, 0x80, 0, 0, 0, 0], "futex_wait_queue", cpu * 10.0, switches, lastRan);

    private IReadOnlyList<HangThread> Join(IReadOnlyList<ThreadObservation> first, IReadOnlyList<ThreadObservation> last, RuntimeState? runtime = null) =>
        HangThreads.Join(Pid, first, last, Now, windowMs: 1_500, SyscallStream.Catalog, _introspector, runtime);

    [Fact]
    public void A_thread_in_the_same_syscall_that_never_ran_is_blocked_since_it_last_ran()
    {
        _introspector.Fds[(Pid, 23)] = "tcp 127.0.0.1:41000 → 127.0.0.1:9000";
        var first = Thread(101, "fetcher", syscall: Recvfrom, arg0: 23, lastRan: Now - 12_000_000_000);

        var thread = Join([first], [first]).ShouldHaveSingleItem();

        thread.Activity.ShouldBe(ThreadActivity.Blocked);
        thread.BlockedSyscall.ShouldBe("recvfrom");
        thread.BlockedFd.ShouldBe(23);
        thread.BlockedOn.ShouldBe("tcp 127.0.0.1:41000 → 127.0.0.1:9000");
        thread.BlockedForMs.ShouldBe(12_000);
        thread.Role.ShouldBe(ThreadRole.UserNamed);
    }

    [Fact]
    public void Without_the_schedulers_last_run_time_a_blocked_thread_has_waited_at_least_the_window()
    {
        var first = Thread(101, "fetcher", syscall: Recvfrom, arg0: 23);

        Join([first], [first]).ShouldHaveSingleItem().BlockedForMs.ShouldBe(1_500);
    }

    [Fact]
    public void A_thread_that_used_CPU_is_running()
    {
        var thread = Join([Thread(101, "cruncher", state: 'R', syscall: null, cpu: 10)], [Thread(101, "cruncher", state: 'R', syscall: null, cpu: 160)])
            .ShouldHaveSingleItem();

        thread.Activity.ShouldBe(ThreadActivity.Running);
        thread.CpuMs.ShouldBe(1_500);
        thread.BlockedSyscall.ShouldBeNull();
    }

    [Fact]
    public void A_poller_that_used_a_tick_or_two_of_CPU_is_waking_not_running()
    {
        Join([Thread(101, "poller", cpu: 10, switches: 5)], [Thread(101, "poller", cpu: 12, switches: 80)])
            .ShouldHaveSingleItem().Activity.ShouldBe(ThreadActivity.Waking);
    }

    [Fact]
    public void A_thread_that_switched_in_between_woke_up_and_is_not_blocked()
    {
        Join([Thread(101, "poller", switches: 5)], [Thread(101, "poller", switches: 9)])
            .ShouldHaveSingleItem().Activity.ShouldBe(ThreadActivity.Waking);
    }

    [Fact]
    public void Threads_that_came_or_went_during_the_window_are_told_apart()
    {
        var threads = Join([Thread(101, "old")], [Thread(102, "new")]);

        threads.Single(t => t.Tid == 101).Activity.ShouldBe(ThreadActivity.Gone);
        threads.Single(t => t.Tid == 102).Activity.ShouldBe(ThreadActivity.Waking);
    }

    [Fact]
    public void The_runtime_names_pool_workers_and_gives_stacks_and_requests()
    {
        var stack = new CallStack([new StackFrame("System.Threading.Tasks.Task.Wait", FrameKind.Framework), new StackFrame("MyApp.Handler.Get", FrameKind.User)]);
        var request = new ServedRequest("GET", "/orders/17", "HTTP: GET /orders/{id:int}");
        var runtime = new RuntimeState("10.0.0", [new ManagedThread(101, 7, IsThreadPoolWorker: true, stack, request)], [], 3, 0, 2, null);

        var thread = Join([Thread(101, ".NET TP Worker")], [Thread(101, ".NET TP Worker")], runtime).ShouldHaveSingleItem();

        thread.Role.ShouldBe(ThreadRole.ThreadPoolWorker);
        thread.Request.ShouldBe(request);
        thread.Stack.CallSite.ShouldBe("MyApp.Handler.Get → Task.Wait");
        thread.BlockedOn.ShouldBe("futex 0x1000");
    }

    [Fact]
    public void A_thread_waiting_for_a_file_lock_names_the_holder()
    {
        _introspector.Fds[(Pid, 9)] = "/var/lib/app/db.lock";
        _introspector.LockHolders[(Pid, 9)] = "pid 4321 backup";
        var waiter = Thread(101, "lock-waiter", syscall: 73, arg0: 9); // flock

        Join([waiter], [waiter]).ShouldHaveSingleItem().BlockedOn.ShouldBe("/var/lib/app/db.lock (locked by pid 4321 backup)");
    }
}
