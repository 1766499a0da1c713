using Advisor.Core.Events;
using Advisor.Linux.Perf;

namespace Advisor.UnitTests.Perf;

public class SyscallPairerTests
{
    private const int Pid = 100;
    private const int Tid = 101;
    private const int Read = 0;
    private const int Write = 1;
    private const int Futex = 202;
    private const int ExitNr = 60;
    private const int ExitGroupNr = 231;

    private readonly RecordingSink _sink = new();
    private readonly SyscallPairer _pairer;

    public SyscallPairerTests() => _pairer = new SyscallPairer(_sink, ExitNr, ExitGroupNr);

    [Fact]
    public void Enter_then_exit_pairs_into_one_event()
    {
        _pairer.OnEnter(Pid, Tid, 1_000, Write, 3, 0x5000, 16, direct: true);
        _pairer.OnExit(Pid, Tid, 1_700, Write, 16, direct: true);

        _sink.Events.ShouldBe([new SyscallEvent(Pid, Tid, Write, 1_000, 700, 16, 3, 0x5000, 16)]);
        _pairer.Unpaired.ShouldBe(0);
    }

    [Fact]
    public void A_call_entered_before_a_pause_is_not_paired_with_an_exit_after_it_in_either_order()
    {
        // The read in flight at the pause ends unseen; the next starts unseen and ends after the resume.
        _pairer.OnEnter(Pid, Tid, 1_000, Read, 0, 0x5000, 1, direct: true);
        _pairer.Pausing(2_000);
        _pairer.OnExit(Pid, Tid, 9_000, Read, 1, direct: true);
        // Another thread's exit reaches the pairer before its enter (two CPUs' rings), across the same pause.
        _pairer.OnExit(Pid, Tid + 1, 9_100, Read, 1, direct: true);
        _pairer.OnEnter(Pid, Tid + 1, 1_500, Read, 0, 0x5000, 1, direct: true);
        // Calls after the resume pair as always.
        _pairer.OnEnter(Pid, Tid, 10_000, Read, 0, 0x5000, 1, direct: true);
        _pairer.OnExit(Pid, Tid, 10_400, Read, 1, direct: true);

        _sink.Events.ShouldBe([new SyscallEvent(Pid, Tid, Read, 10_000, 400, 1, 0, 0x5000, 1)]);
    }

    [Fact]
    public void A_sampled_stack_after_its_enter_joins_that_call()
    {
        _pairer.OnEnter(Pid, Tid, 1_000, Write, 3, 0x5000, 16, direct: true);
        _pairer.OnStack(Tid, 1_200, stackId: 7);
        _pairer.OnExit(Pid, Tid, 1_700, Write, 16, direct: true);

        _sink.Events.ShouldHaveSingleItem().StackId.ShouldBe(7);
    }

    [Fact]
    public void A_sampled_stack_before_its_enter_joins_that_call_and_no_later_one()
    {
        _pairer.OnStack(Tid, 900, stackId: 7);
        _pairer.OnEnter(Pid, Tid, 1_000, Write, 3, 0x5000, 16, direct: true);
        _pairer.OnExit(Pid, Tid, 1_700, Write, 16, direct: true);
        _pairer.OnEnter(Pid, Tid, 2_000, Write, 3, 0x5000, 16, direct: true);
        _pairer.OnExit(Pid, Tid, 2_700, Write, 16, direct: true);

        _sink.Events.Select(e => e.StackId).ShouldBe([7, 0]);
    }

    [Fact]
    public void A_sampled_stack_far_from_any_enter_is_no_calls()
    {
        _pairer.OnStack(Tid, 1_000, stackId: 7);
        _pairer.OnEnter(Pid, Tid, 900_000, Write, 3, 0x5000, 16, direct: true);
        _pairer.OnExit(Pid, Tid, 901_000, Write, 16, direct: true);

        _sink.Events.ShouldHaveSingleItem().StackId.ShouldBe(0);
    }

    [Fact]
    public void Exit_read_before_its_enter_still_pairs()
    {
        // The thread migrated while blocked: the exit sits in a ring drained before the enter's.
        _pairer.OnExit(Pid, Tid, 9_000, Read, 512, direct: true);
        _pairer.OnEnter(Pid, Tid, 4_000, Read, 5, 0x6000, 4096, direct: true);

        _sink.Events.ShouldBe([new SyscallEvent(Pid, Tid, Read, 4_000, 5_000, 512, 5, 0x6000, 4096)]);
        _pairer.Unpaired.ShouldBe(0);
    }

    [Fact]
    public void Cross_cpu_order_pairs_each_call_of_a_repeated_syscall_with_its_own_exit()
    {
        // CPU 1's ring (drained first) has the exit of call A and all of call B; CPU 0's has A's enter.
        _pairer.OnExit(Pid, Tid, 150, Read, 10, direct: true);
        _pairer.OnEnter(Pid, Tid, 160, Read, 5, 0, 100, direct: true);
        _pairer.OnExit(Pid, Tid, 170, Read, 20, direct: true);
        _pairer.OnEnter(Pid, Tid, 100, Read, 5, 0, 100, direct: true);

        _sink.Events.Select(e => (e.StartNs, e.DurationNs, e.Return)).ShouldBe([(160L, 10L, 20L), (100L, 50L, 10L)]);
        _pairer.Unpaired.ShouldBe(0);
    }

    [Fact]
    public void An_orphan_exit_at_attach_does_not_pair_with_a_later_different_syscall()
    {
        // A futex wait in flight when we attached: its exit arrives, its enter never will.
        _pairer.OnExit(Pid, Tid, 500, Futex, 0, direct: true);
        _pairer.OnEnter(Pid, Tid, 1_000, Write, 3, 0, 8, direct: true);
        _pairer.OnExit(Pid, Tid, 1_200, Write, 8, direct: true);

        _sink.Events.ShouldBe([new SyscallEvent(Pid, Tid, Write, 1_000, 200, 8, 3, 0, 8)]);
    }

    [Fact]
    public void An_orphan_exit_at_attach_does_not_pair_with_a_later_call_of_the_same_syscall()
    {
        // The orphan's time precedes the later enter, so it cannot be that call's exit.
        _pairer.OnExit(Pid, Tid, 500, Read, 64, direct: true);
        _pairer.OnEnter(Pid, Tid, 1_000, Read, 3, 0, 64, direct: true);
        _pairer.OnExit(Pid, Tid, 1_300, Read, 32, direct: true);

        _sink.Events.ShouldBe([new SyscallEvent(Pid, Tid, Read, 1_000, 300, 32, 3, 0, 64)]);
    }

    [Theory]
    [InlineData(ExitGroupNr)]
    [InlineData(ExitNr)]
    public void Exit_and_exit_group_are_emitted_at_enter_with_zero_duration_and_the_thread_is_forgotten(int nr)
    {
        _pairer.OnEnter(Pid, Tid, 1_000, Write, 3, 0, 8, direct: true);
        _pairer.OnExit(Pid, Tid, 1_100, Write, 8, direct: true);
        _pairer.TrackedThreads.ShouldBe(1);

        _pairer.OnEnter(Pid, Tid, 5_000, nr, 42, 0, 0, direct: true);

        _sink.Events.Count.ShouldBe(2);
        _sink.Events[1].ShouldBe(new SyscallEvent(Pid, Tid, nr, 5_000, 0, 0, 42, 0, 0));
        _pairer.TrackedThreads.ShouldBe(0);
        _pairer.Unpaired.ShouldBe(0);
    }

    [Fact]
    public void A_thread_id_reused_after_exit_group_starts_afresh()
    {
        // The forgotten thread's source (direct) no longer applies: a new thread with the same id that
        // arrives through inheritance is admitted without counting duplicates.
        _pairer.OnEnter(Pid, Tid, 1_000, ExitGroupNr, 0, 0, 0, direct: true);
        _pairer.OnEnter(Pid, Tid, 9_000, Write, 1, 0, 4, direct: false);
        _pairer.OnExit(Pid, Tid, 9_500, Write, 4, direct: false);

        _sink.Events.Count.ShouldBe(2);
        _pairer.Duplicates.ShouldBe(0);
    }

    [Fact]
    public void Two_enters_in_a_row_keep_the_first_pending_and_pair_the_second()
    {
        // The first call's exit was lost, or is still in a ring not read yet: the pairer cannot tell which,
        // so it holds the enter in its window rather than count it unpaired at once.
        _pairer.OnEnter(Pid, Tid, 1_000, Read, 3, 0, 16, direct: true);
        _pairer.OnEnter(Pid, Tid, 2_000, Write, 4, 0, 32, direct: true);
        _pairer.OnExit(Pid, Tid, 2_500, Write, 32, direct: true);

        _sink.Events.ShouldBe([new SyscallEvent(Pid, Tid, Write, 2_000, 500, 32, 4, 0, 32)]);
        _pairer.Unpaired.ShouldBe(0);
    }

    [Fact]
    public void An_exit_read_after_a_later_calls_enter_still_pairs_with_its_own_enter()
    {
        // Call A (read) ran on CPU 0, call B (write) on CPU 1, and CPU 1's ring was read between them.
        _pairer.OnEnter(Pid, Tid, 100, Read, 3, 0, 16, direct: true);
        _pairer.OnEnter(Pid, Tid, 300, Write, 4, 0, 32, direct: true);
        _pairer.OnExit(Pid, Tid, 200, Read, 16, direct: true);
        _pairer.OnExit(Pid, Tid, 450, Write, 32, direct: true);

        _sink.Events.Select(e => (e.Number, e.StartNs, e.DurationNs)).ShouldBe([(Read, 100L, 100L), (Write, 300L, 150L)]);
        _pairer.Unpaired.ShouldBe(0);
    }

    [Fact]
    public void An_enter_whose_exit_never_comes_counts_one_unpaired_when_the_window_gives_it_up()
    {
        // Nine enters with no exit: the window holds eight, so the oldest is given up and counted.
        for (var i = 0; i < 9; i++)
        {
            _pairer.OnEnter(Pid, Tid, 1_000 * (i + 1), Read, 3, 0, 16, direct: true);
        }

        _pairer.Unpaired.ShouldBe(1);

        // The survivors still pair: the exit of the second call finds its enter.
        _pairer.OnExit(Pid, Tid, 2_500, Read, 16, direct: true);
        _sink.Events.ShouldHaveSingleItem().StartNs.ShouldBe(2_000);
    }

    [Fact]
    public void Exits_whose_enters_never_come_count_one_unpaired_when_the_window_gives_one_up()
    {
        for (var i = 0; i < 9; i++)
        {
            _pairer.OnExit(Pid, Tid, 1_000 * (i + 1), Futex, 0, direct: true);
        }

        _pairer.Unpaired.ShouldBe(1);
        _sink.Events.ShouldBeEmpty();
    }

    [Fact]
    public void Records_still_pending_when_a_thread_exits_count_as_unpaired()
    {
        _pairer.OnExit(Pid, Tid, 500, Futex, 0, direct: true); // in flight at attach
        _pairer.OnEnter(Pid, Tid, 1_000, Read, 3, 0, 16, direct: true); // its exit was lost
        _pairer.OnEnter(Pid, Tid, 2_000, ExitGroupNr, 0, 0, 0, direct: true);

        _pairer.Unpaired.ShouldBe(2);
        _pairer.TrackedThreads.ShouldBe(0);
        _sink.Events.ShouldHaveSingleItem().Number.ShouldBe(ExitGroupNr);
    }

    [Fact]
    public void Threads_are_paired_independently()
    {
        _pairer.OnEnter(Pid, 201, 1_000, Read, 3, 0, 16, direct: true);
        _pairer.OnEnter(Pid, 202, 1_100, Write, 4, 0, 32, direct: true);
        _pairer.OnExit(Pid, 201, 1_500, Read, 16, direct: true);
        _pairer.OnExit(Pid, 202, 1_900, Write, 32, direct: true);

        _sink.Events.Select(e => (e.Tid, e.Number, e.DurationNs)).ShouldBe([(201, Read, 500L), (202, Write, 800L)]);
        _pairer.Unpaired.ShouldBe(0);
        _pairer.TrackedThreads.ShouldBe(2);
    }

    [Fact]
    public void Once_an_inherited_sample_is_seen_later_direct_samples_of_the_thread_are_dropped_as_duplicates()
    {
        // The thread is covered both ways; each tracepoint hit writes one sample per event, interleaved.
        _pairer.OnEnter(Pid, Tid, 1_000, Write, 3, 0, 8, direct: true);
        _pairer.OnEnter(Pid, Tid, 1_000, Write, 3, 0, 8, direct: false);
        _pairer.OnExit(Pid, Tid, 1_400, Write, 8, direct: true);
        _pairer.OnExit(Pid, Tid, 1_400, Write, 8, direct: false);
        _pairer.OnEnter(Pid, Tid, 2_000, Read, 3, 0, 8, direct: true);
        _pairer.OnEnter(Pid, Tid, 2_000, Read, 3, 0, 8, direct: false);
        _pairer.OnExit(Pid, Tid, 2_600, Read, 8, direct: false);
        _pairer.OnExit(Pid, Tid, 2_600, Read, 8, direct: true);

        _sink.Events.Select(e => (e.Number, e.StartNs, e.DurationNs)).ShouldBe([(Write, 1_000L, 400L), (Read, 2_000L, 600L)]);
        _pairer.Duplicates.ShouldBe(3);
        _pairer.Unpaired.ShouldBe(0);
    }

    [Fact]
    public void A_thread_first_seen_through_inheritance_drops_every_direct_sample()
    {
        _pairer.OnEnter(Pid, Tid, 1_000, Write, 3, 0, 8, direct: false);
        _pairer.OnEnter(Pid, Tid, 1_000, Write, 3, 0, 8, direct: true);
        _pairer.OnExit(Pid, Tid, 1_400, Write, 8, direct: true);
        _pairer.OnExit(Pid, Tid, 1_400, Write, 8, direct: false);

        _sink.Events.ShouldHaveSingleItem().DurationNs.ShouldBe(400);
        _pairer.Duplicates.ShouldBe(2);
    }

    [Fact]
    public void A_thread_covered_only_directly_keeps_all_its_samples()
    {
        for (var i = 0; i < 10; i++)
        {
            _pairer.OnEnter(Pid, Tid, 1_000 * i, Write, 3, 0, 8, direct: true);
            _pairer.OnExit(Pid, Tid, (1_000 * i) + 100, Write, 8, direct: true);
        }

        _sink.Events.Count.ShouldBe(10);
        _pairer.Duplicates.ShouldBe(0);
    }

    [Fact]
    public void Inherited_and_direct_coverage_of_different_threads_does_not_interfere()
    {
        _pairer.OnEnter(Pid, 300, 1_000, Write, 3, 0, 8, direct: false);
        _pairer.OnEnter(Pid, 301, 1_000, Write, 3, 0, 8, direct: true);
        _pairer.OnExit(Pid, 300, 1_100, Write, 8, direct: false);
        _pairer.OnExit(Pid, 301, 1_200, Write, 8, direct: true);

        _sink.Events.Count.ShouldBe(2);
        _pairer.Duplicates.ShouldBe(0);
    }

    [Fact]
    public void Switching_to_the_inherited_stream_discards_the_pending_direct_enter()
    {
        // The direct enter's twin on the inherited stream was written before we saw it (it is the sample
        // that switches the thread), so pairing the inherited exit must use the inherited enter's time.
        _pairer.OnEnter(Pid, Tid, 1_000, Read, 3, 0, 8, direct: true);
        _pairer.OnEnter(Pid, Tid, 1_000, Read, 3, 0, 8, direct: false);
        _pairer.OnExit(Pid, Tid, 3_000, Read, 8, direct: false);

        _sink.Events.ShouldHaveSingleItem().ShouldBe(new SyscallEvent(Pid, Tid, Read, 1_000, 2_000, 8, 3, 0, 8));
        _pairer.Unpaired.ShouldBe(0);
    }

    [Fact]
    public void Exit_group_seen_on_both_streams_of_a_doubly_covered_thread_is_recorded_once()
    {
        _pairer.OnEnter(Pid, Tid, 1_000, Write, 3, 0, 8, direct: false);
        _pairer.OnExit(Pid, Tid, 1_100, Write, 8, direct: false);
        _pairer.OnEnter(Pid, Tid, 5_000, ExitGroupNr, 0, 0, 0, direct: false);
        _pairer.OnEnter(Pid, Tid, 5_000, ExitGroupNr, 0, 0, 0, direct: true);

        _sink.Events.Count(e => e.Number == ExitGroupNr).ShouldBe(1);
        _pairer.TrackedThreads.ShouldBe(0);
    }

    [Fact]
    public void Lost_records_are_forwarded_to_the_sink()
    {
        _pairer.OnLost(12);

        _sink.Lost.ShouldBe([12L]);
    }
}
