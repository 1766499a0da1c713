using Advisor.Core.Hang;
using Advisor.Core.Monitoring;

namespace Advisor.UnitTests.Monitoring;

/// <summary>The cheap test behind --collect-on hang: threads that moved while watched, then sat in an endless wait.</summary>
public class HangSuspicionTests
{
    private const int Pid = 100;
    private const int Futex = 202;
    private const int Read = 0;
    private const int Nanosleep = 35;
    private const int EpollWait = 232;
    private static readonly DateTimeOffset T0 = new(2026, 12, 3, 12, 0, 0, TimeSpan.Zero);

    private static string Name(int number) => number switch
    {
        Futex => "futex",
        Read => "read",
        Nanosleep => "nanosleep",
        EpollWait => "epoll_wait",
        _ => "other",
    };

    private static HangSuspicion Suspicion() => new(Pid, "app", TimeSpan.FromSeconds(2), Name);

    /// <summary>A thread in a futex wait with no timeout (Monitor.Enter), its counters as given.</summary>
    private static ThreadObservation Waiting(int tid, string name, double cpuMs = 10, long switches = 5, ulong timeout = 0, int syscall = Futex) =>
        new(tid, name, 'S', syscall, [0x7f00, 0x80, 0, timeout, 0, 0], "futex_wait_queue", cpuMs, switches, null);

    private static ThreadObservation MainThread(long switches) => Waiting(Pid, "app", switches: switches, timeout: 0x7ffc); // polls: timed, and wakes

    private static DateTimeOffset At(int second) => T0.AddSeconds(second);

    [Fact]
    public void Threads_that_start_and_then_stay_in_an_untimed_futex_wait_are_suspected_once()
    {
        var suspicion = Suspicion();
        suspicion.Observe([MainThread(1)], At(0)).ShouldBeNull();
        suspicion.Observe([MainThread(2), Waiting(101, "transfer-a-b"), Waiting(102, "transfer-b-a")], At(1)).ShouldBeNull(); // just started
        suspicion.Observe([MainThread(3), Waiting(101, "transfer-a-b"), Waiting(102, "transfer-b-a")], At(2)).ShouldBeNull(); // still for 1 s
        var suspected = suspicion.Observe([MainThread(4), Waiting(101, "transfer-a-b"), Waiting(102, "transfer-b-a")], At(3)).ShouldNotBeNull();

        suspected.Threads.Select(t => (t.Tid, t.Syscall, t.StuckFor)).ShouldBe([(101, "futex", TimeSpan.FromSeconds(2)), (102, "futex", TimeSpan.FromSeconds(2))]);
        suspected.Describe().ShouldBe("transfer-a-b (futex, 2 s), transfer-b-a (futex, 2 s)");
        suspicion.Observe([MainThread(5), Waiting(101, "transfer-a-b"), Waiting(102, "transfer-b-a")], At(4)).ShouldBeNull(); // the same hang: once
    }

    [Fact]
    public void Threads_stuck_since_before_the_watch_are_not_suspected()
    {
        // An idle service: its main thread waits for shutdown in an untimed futex wait from the start.
        var suspicion = Suspicion();
        for (var second = 0; second < 10; second++)
        {
            suspicion.Observe([Waiting(Pid, "app"), Waiting(101, "worker")], At(second)).ShouldBeNull();
        }
    }

    [Fact]
    public void A_thread_that_ran_then_blocked_is_suspected_after_the_time_given_not_before()
    {
        var suspicion = Suspicion();
        suspicion.Observe([Waiting(101, "worker", cpuMs: 10)], At(0)).ShouldBeNull();
        suspicion.Observe([Waiting(101, "worker", cpuMs: 20)], At(1)).ShouldBeNull(); // ran
        suspicion.Observe([Waiting(101, "worker", cpuMs: 20)], At(2)).ShouldBeNull();
        suspicion.Observe([Waiting(101, "worker", cpuMs: 20)], At(3)).ShouldNotBeNull().Threads.ShouldHaveSingleItem().Tid.ShouldBe(101);
    }

    [Fact]
    public void Timed_waits_sleeps_event_loops_runtime_threads_and_threads_that_keep_waking_are_not_suspected()
    {
        var suspicion = Suspicion();
        suspicion.Observe([], At(0)).ShouldBeNull();
        for (var second = 1; second < 10; second++)
        {
            suspicion.Observe(
            [
                Waiting(101, ".NET TP Worker", timeout: 0x7ffc), // a parked pool worker: 20 s timed wait
                Waiting(102, "sleeper", syscall: Nanosleep),
                Waiting(103, "loop", syscall: EpollWait),
                Waiting(104, ".NET Finalizer"),
                Waiting(105, "poller", switches: second), // wakes every time
            ],
                At(second)).ShouldBeNull();
        }
    }

    [Fact]
    public void A_new_thread_stuck_beside_a_hang_already_suspected_is_suspected_again()
    {
        // Starvation grows: the pool injects workers, each blocks in turn.
        var suspicion = Suspicion();
        suspicion.Observe([], At(0));
        suspicion.Observe([Waiting(101, ".NET TP Worker")], At(1));
        suspicion.Observe([Waiting(101, ".NET TP Worker")], At(2));
        suspicion.Observe([Waiting(101, ".NET TP Worker")], At(3)).ShouldNotBeNull();
        suspicion.Observe([Waiting(101, ".NET TP Worker"), Waiting(102, ".NET TP Worker")], At(4)).ShouldBeNull();
        suspicion.Observe([Waiting(101, ".NET TP Worker"), Waiting(102, ".NET TP Worker")], At(5)).ShouldBeNull();
        suspicion.Observe([Waiting(101, ".NET TP Worker"), Waiting(102, ".NET TP Worker")], At(6)).ShouldNotBeNull().Threads.Count.ShouldBe(2);
    }

    [Fact]
    public void The_triage_waking_a_suspected_thread_once_does_not_suspect_it_again_but_running_again_does()
    {
        var suspicion = Suspicion();
        suspicion.Observe([], At(0));
        suspicion.Observe([Waiting(101, "t")], At(1));
        suspicion.Observe([Waiting(101, "t")], At(2));
        suspicion.Observe([Waiting(101, "t")], At(3)).ShouldNotBeNull();
        suspicion.Observe([Waiting(101, "t", switches: 6)], At(4)).ShouldBeNull(); // ClrMD's pause
        for (var second = 5; second < 10; second++)
        {
            suspicion.Observe([Waiting(101, "t", switches: 6)], At(second)).ShouldBeNull();
        }

        suspicion.Observe([Waiting(101, "t", switches: 7)], At(10)).ShouldBeNull(); // runs again, twice in a row
        suspicion.Observe([Waiting(101, "t", switches: 8)], At(11)).ShouldBeNull();
        suspicion.Observe([Waiting(101, "t", switches: 8)], At(12)).ShouldBeNull();
        suspicion.Observe([Waiting(101, "t", switches: 8)], At(13)).ShouldNotBeNull(); // stuck anew
    }

    [Fact]
    public void Past_three_threads_the_description_says_how_many_more() =>
        new SuspectedHang([.. Enumerable.Range(1, 5).Select(i => new StuckThread(i, $"w{i}", "futex", TimeSpan.FromSeconds(3)))]).Describe()
            .ShouldBe("w1 (futex, 3 s), w2 (futex, 3 s), w3 (futex, 3 s) and 2 more");

    [Theory]
    [InlineData("futex", 0x80ul, 0ul, true)] // FUTEX_WAIT_PRIVATE, no timeout
    [InlineData("futex", 0x89ul, 0ul, true)] // FUTEX_WAIT_BITSET_PRIVATE, no timeout
    [InlineData("futex", 0x189ul, 0ul, true)] // … on the realtime clock
    [InlineData("futex", 0x89ul, 0x7ffc1000ul, false)] // a timeout
    [InlineData("futex", 0x81ul, 0ul, false)] // FUTEX_WAKE
    [InlineData("flock", 2ul, 0ul, true)] // LOCK_EX
    [InlineData("flock", 6ul, 0ul, false)] // LOCK_EX | LOCK_NB
    [InlineData("fcntl", 7ul, 0ul, true)] // F_SETLKW
    [InlineData("fcntl", 6ul, 0ul, false)] // F_SETLK
    [InlineData("recvmsg", 0ul, 0ul, true)]
    [InlineData("epoll_wait", 0ul, 0ul, false)]
    [InlineData("accept4", 0ul, 0ul, false)]
    public void Endless_waits_are_untimed_lock_waits_reads_and_blocking_file_locks(string syscall, ulong second, ulong fourth, bool endless) =>
        EndlessWait.Is(syscall, [3, second, 0, fourth, 0, 0]).ShouldBe(endless);
}
