using Advisor.Core.Aggregation;
using Advisor.Core.Threads;
using static Advisor.UnitTests.Aggregation.SyscallStream;

namespace Advisor.UnitTests.Aggregation;

public class SyscallAggregatorTests
{
    private const int Pid = 10;
    private const int Main = 10;
    private const int Worker = 11;
    private const long Us = 1_000;
    private const long Ms = 1_000_000;

    private readonly SyscallStream _s = new SyscallStream(Pid)
        .File(3, "/tmp/a.log")
        .File(4, "/tmp/b.log")
        .Thread(Main, "myapp")
        .Thread(Worker, ".NET TP Worker");

    private static StatsRow Row(AggregateSnapshot snapshot, int tid, string syscall, int? fd = null) =>
        snapshot.Rows.Single(r => r.Tid == tid && r.Syscall == syscall && r.Fd?.Fd == fd);

    [Fact]
    public void Counts_bytes_time_and_errors_are_kept_per_thread_syscall_and_fd()
    {
        _s.Repeat(5, Main, "write", durationNs: 2 * Us, ret: 100, arg0: 3);
        _s.Repeat(3, Main, "write", durationNs: 4 * Us, ret: 10, arg0: 4);
        _s.Repeat(2, Worker, "write", durationNs: 1 * Us, ret: 7, arg0: 3);
        _s.Call(Main, "write", 0, 3 * Us, ret: -9, arg0: 3); // EBADF: an error, no bytes
        _s.Repeat(4, Worker, "getpid", durationNs: 100, ret: Pid);

        var snapshot = _s.Snapshot();

        snapshot.Rows.Count.ShouldBe(4);
        var mainA = Row(snapshot, Main, "write", 3);
        mainA.Stats.Count.ShouldBe(6);
        mainA.Stats.Bytes.ShouldBe(500);
        mainA.Stats.Errors.ShouldBe(1);
        mainA.Stats.TotalNs.ShouldBe((5 * 2 * Us) + (3 * Us));
        mainA.Stats.MaxNs.ShouldBe(3 * Us);
        mainA.Fd!.Description.ShouldBe("/tmp/a.log");
        mainA.Pid.ShouldBe(Pid);

        var mainB = Row(snapshot, Main, "write", 4);
        (mainB.Stats.Count, mainB.Stats.Bytes, mainB.Stats.Errors).ShouldBe((3L, 30L, 0L));
        mainB.Fd!.Description.ShouldBe("/tmp/b.log");

        var workerA = Row(snapshot, Worker, "write", 3);
        (workerA.Stats.Count, workerA.Stats.Bytes).ShouldBe((2L, 14L));
        workerA.Fd.ShouldBeSameAs(mainA.Fd);

        var getpid = Row(snapshot, Worker, "getpid");
        getpid.Fd.ShouldBeNull();
        getpid.Stats.Count.ShouldBe(4);
        getpid.Stats.Bytes.ShouldBe(0); // returns a pid, not bytes

        snapshot.EventsTotal.ShouldBe(15);
        _s.Aggregator.EventsTotal.ShouldBe(15);
    }

    [Fact]
    public void Errors_are_counted_by_errno()
    {
        _s.Repeat(3, Main, "openat", durationNs: Us, ret: -2);
        _s.Repeat(2, Main, "openat", durationNs: Us, ret: -13);
        _s.Repeat(4, Main, "openat", durationNs: Us, ret: 5);

        var snapshot = _s.Snapshot();

        var row = Row(snapshot, Main, "openat");
        row.Stats.Errors.ShouldBe(5);
        row.ErrorsByErrno.ShouldBe(new Dictionary<int, long> { [2] = 3, [13] = 2 }, ignoreOrder: true);
        snapshot.Catalog.Errnos.NameOf(2).ShouldBe("ENOENT");
        snapshot.Catalog.Errnos.NameOf(13).ShouldBe("EACCES");
    }

    [Fact]
    public void A_row_without_errors_has_an_empty_errno_table()
    {
        _s.Repeat(2, Main, "getpid", durationNs: 100, ret: Pid);

        Row(_s.Snapshot(), Main, "getpid").ErrorsByErrno.ShouldBeEmpty();
    }

    [Fact]
    public void An_fd_number_reused_for_another_file_after_close_becomes_a_second_slot()
    {
        _s.Call(Main, "write", 0, Us, 5, arg0: 3);
        _s.Call(Main, "close", 10 * Us, Us, 0, arg0: 3);
        _s.File(3, "/tmp/rotated.log");
        _s.Call(Main, "write", 20 * Us, Us, 6, arg0: 3);

        var snapshot = _s.Snapshot();

        var writes = snapshot.Rows.Where(r => r.Syscall == "write").ToList();
        writes.Count.ShouldBe(2);
        writes.Select(r => (r.Fd!.Fd, r.Fd.Description, r.Stats.Bytes))
            .ShouldBe([(3, "/tmp/a.log", 5L), (3, "/tmp/rotated.log", 6L)], ignoreOrder: true);
        writes[0].Fd!.Id.ShouldNotBe(writes[1].Fd!.Id);
        Row(snapshot, Main, "close", 3).Fd!.Description.ShouldBe("/tmp/a.log"); // the close belongs to the old file
        snapshot.Fds.Select(f => f.Description).ShouldBe(["(other fds)", "/tmp/a.log", "/tmp/rotated.log"]);
    }

    [Fact]
    public void An_fd_open_since_before_the_start_that_a_lagging_drain_finds_reused_is_described_as_it_was()
    {
        // A writer's file open before the attach; by the time the drain meets its first write, the program has closed
        // it and opened the next file under the number (seen in CI: 20,001 writes to out.dat.1).
        _s.Introspector.FdsAtStart[(Pid, 5)] = "/tmp/out.dat";
        _s.File(5, "/tmp/out.dat.1");
        _s.Call(Main, "write", 0, Us, 16, arg0: 5);
        _s.Call(Main, "close", 1 * Us, Us, 0, arg0: 5);
        _s.Call(Main, "openat", 2 * Us, Us, 5, arg0: unchecked((ulong)-100), arg2: 0x441);
        _s.Call(Main, "write", 3 * Us, Us, 16, arg0: 5);

        var snapshot = _s.Snapshot();

        snapshot.Rows.Where(r => r.Syscall == "write").Select(r => (r.Fd!.Description, r.Stats.Count))
            .ShouldBe([("/tmp/out.dat", 1L), ("/tmp/out.dat.1", 1L)], ignoreOrder: true);
    }

    [Fact]
    public void A_folder_whose_number_a_lagging_drain_finds_reused_by_a_file_of_another_name_keeps_the_path_it_was_opened_with()
    {
        // A tree walk lists a folder and closes it; the runtime opens its next assembly under the number, read-only
        // as the folder was, before the drain asks /proc about the listing.
        _s.File(5, "/usr/share/dotnet/shared/Microsoft.NETCore.App/10.0.12/System.Threading.dll");
        _s.Aggregator.OnOpenPath(Pid, Main, "/srv/content/images");
        _s.Call(Main, "openat", 0, Us, 5, arg0: unchecked((ulong)-100), arg2: 0x10000);
        _s.Call(Main, "getdents64", 1 * Us, Us, 4096, arg0: 5);
        _s.Call(Main, "close", 2 * Us, Us, 0, arg0: 5);

        Row(_s.Snapshot(), Main, "getdents64", 5).Fd!.Description.ShouldBe("/srv/content/images");
    }

    [Fact]
    public void A_file_opened_by_a_relative_name_is_described_by_the_full_path_proc_shows()
    {
        _s.File(5, "/srv/app/appsettings.json");
        _s.Aggregator.OnOpenPath(Pid, Main, "appsettings.json");
        _s.Call(Main, "openat", 0, Us, 5, arg0: unchecked((ulong)-100), arg2: 0);
        _s.Call(Main, "read", 1 * Us, Us, 100, arg0: 5);

        Row(_s.Snapshot(), Main, "read", 5).Fd!.Description.ShouldBe("/srv/app/appsettings.json");
    }

    [Fact]
    public void What_an_fd_was_at_the_start_no_longer_holds_once_its_process_execs()
    {
        _s.Introspector.FdsAtStart[(Pid, 5)] = "/tmp/before-exec.log";
        _s.File(5, "/tmp/after-exec.log");
        _s.Call(Main, "execve", 0, Us, 0);
        _s.Call(Main, "write", 1 * Us, Us, 16, arg0: 5);

        Row(_s.Snapshot(), Main, "write", 5).Fd!.Description.ShouldBe("/tmp/after-exec.log");
    }

    [Fact]
    public void The_same_file_reopened_under_the_same_fd_number_stays_one_slot()
    {
        _s.Call(Main, "write", 0, Us, 5, arg0: 3);
        _s.Call(Main, "close", 10 * Us, Us, 0, arg0: 3);
        _s.Call(Main, "write", 20 * Us, Us, 6, arg0: 3);

        var snapshot = _s.Snapshot();

        var write = Row(snapshot, Main, "write", 3);
        write.Stats.Count.ShouldBe(2);
        snapshot.Fds.Count.ShouldBe(2); // the overflow slot and /tmp/a.log
        _s.Introspector.FdQueries.ShouldBe([(Pid, 3), (Pid, 3)]); // re-resolved after the close, once
    }

    [Fact]
    public void A_failed_close_keeps_the_fd_mapping()
    {
        _s.Call(Main, "write", 0, Us, 5, arg0: 3);
        _s.Call(Main, "close", 10 * Us, Us, -9, arg0: 3);
        _s.File(3, "/tmp/other.log");
        _s.Call(Main, "write", 20 * Us, Us, 6, arg0: 3);

        Row(_s.Snapshot(), Main, "write", 3).Fd!.Description.ShouldBe("/tmp/a.log");
    }

    [Fact]
    public void Dup2_over_an_fd_makes_it_resolve_again()
    {
        _s.Call(Main, "write", 0, Us, 5, arg0: 3);
        _s.File(3, "/tmp/b.log");
        _s.Call(Main, "dup2", 10 * Us, Us, 3, arg0: 4, arg1: 3);
        _s.Call(Main, "write", 20 * Us, Us, 6, arg0: 3);

        var snapshot = _s.Snapshot();

        snapshot.Rows.Where(r => r.Syscall == "write").Select(r => r.Fd!.Description)
            .ShouldBe(["/tmp/a.log", "/tmp/b.log"], ignoreOrder: true);
    }

    [Fact]
    public void A_socket_whose_number_a_lagging_drain_finds_reused_by_a_pipe_is_never_described_as_the_pipe()
    {
        // socket → setsockopt (resolved: a socket with no peer yet) → connect; by the time the drain asks again the
        // program has closed the socket and a pipe holds the number.
        _s.File(7, "socket:[100]");
        _s.Call(Main, "socket", 0, Us, 7, arg0: 2, arg1: 1);
        _s.Call(Main, "setsockopt", 1 * Us, Us, 0, arg0: 7);
        _s.File(7, "pipe:[200]");
        _s.Call(Main, "connect", 2 * Us, Us, 0, arg0: 7);
        _s.Call(Main, "close", 3 * Us, Us, 0, arg0: 7);

        var snapshot = _s.Snapshot();

        Row(snapshot, Main, "connect", 7).Fd!.Description.ShouldBe("fd 7 (closed before it was resolved)");
        snapshot.Fds.ShouldNotContain(f => f.Description.StartsWith("pipe:", StringComparison.Ordinal));
    }

    [Fact]
    public void A_pipe_write_that_a_lagging_drain_resolves_to_the_socket_made_next_under_its_number_is_not_that_sockets()
    {
        // pipe2 returns no fd number; by the time the drain asks about the pipe's write, the pipe is closed and a
        // UDP socket holds its number (seen 1 run in 8 of the MetricsService sample: sendto/write ×6,001).
        const string Udp = "udp 127.0.0.1:40000 → 127.0.0.1:8125";
        _s.File(8, Udp);
        _s.Call(Main, "write", 0, Us, 1, arg0: 8);
        _s.Call(Worker, "close", 1 * Us, Us, 0, arg0: 8);
        _s.Call(Main, "socket", 2 * Us, Us, 8, arg0: 2, arg1: 2);
        _s.Call(Main, "connect", 3 * Us, Us, 0, arg0: 8);
        _s.Repeat(3, Main, "sendto", Us, 20, arg0: 8, spanNs: 10 * Us);

        var snapshot = _s.Snapshot();

        var socket = Row(snapshot, Main, "sendto", 8).Fd!;
        socket.Description.ShouldBe(Udp);
        snapshot.Rows.Where(r => r.Fd == socket).Select(r => r.Syscall).ShouldBe(["connect", "sendto"], ignoreOrder: true);
        var pipe = Row(snapshot, Main, "write", 8).Fd!;
        (pipe.Description, pipe.Resolved).ShouldBe(("fd 8 (closed before it was resolved)", false));
        Row(snapshot, Worker, "close", 8).Fd.ShouldBeSameAs(pipe);
    }

    [Fact]
    public void A_udp_socket_connected_again_to_the_same_peer_stays_one_slot()
    {
        const string Udp = "udp 127.0.0.1:40000 → 127.0.0.1:8125";
        _s.File(8, Udp);
        _s.Call(Main, "socket", 0, Us, 8, arg0: 2, arg1: 2);
        _s.Call(Main, "connect", 1 * Us, Us, 0, arg0: 8);
        _s.Call(Main, "sendto", 2 * Us, Us, 20, arg0: 8);
        _s.Call(Main, "connect", 3 * Us, Us, 0, arg0: 8);
        _s.Call(Main, "sendto", 4 * Us, Us, 20, arg0: 8);

        var snapshot = _s.Snapshot();

        Row(snapshot, Main, "sendto", 8).Stats.Count.ShouldBe(2);
        snapshot.Fds.Where(f => f.Description == Udp).ShouldHaveSingleItem().Resolved.ShouldBeTrue();
    }

    [Fact]
    public void An_fd_closed_before_it_was_resolved_is_described_as_such()
    {
        _s.Call(Main, "write", 0, Us, 5, arg0: 42);

        Row(_s.Snapshot(), Main, "write", 42).Fd!.Description.ShouldBe("fd 42 (closed before it was resolved)");
    }

    [Fact]
    public void Write_runs_are_broken_by_a_read_on_the_same_fd()
    {
        _s.Repeat(100, Main, "write", Us, 16, arg0: 3, spanNs: 100 * Us);
        _s.Call(Main, "read", 100 * Us, Us, 64, arg0: 3);
        _s.Repeat(50, Main, "write", Us, 16, arg0: 3, spanNs: 50 * Us, fromNs: 200 * Us);

        var snapshot = _s.Snapshot();

        var slot = Row(snapshot, Main, "write", 3).Fd!.Id;
        var runs = snapshot.RunsByFdSlot[slot];
        runs.WriteRuns.ShouldBe(2);
        runs.WriteCalls.ShouldBe(150);
        runs.LongestWriteRun.ShouldBe(100);
        runs.AverageWriteRun.ShouldBe(75);
        runs.ReadRuns.ShouldBe(1);
        runs.LongestReadRun.ShouldBe(1);
    }

    [Fact]
    public void Write_runs_are_kept_per_fd_and_ignore_calls_on_other_fds_and_failed_calls()
    {
        for (var i = 0; i < 20; i++)
        {
            _s.Call(Main, "write", i * Us, Us, 16, arg0: 3);
            _s.Call(Main, "read", i * Us, Us, 16, arg0: 4); // another fd: does not break fd 3's run
            _s.Call(Main, "read", i * Us, Us, -11, arg0: 3); // EAGAIN: nothing was read
        }

        var snapshot = _s.Snapshot();

        var runsA = snapshot.RunsByFdSlot[Row(snapshot, Main, "write", 3).Fd!.Id];
        (runsA.WriteRuns, runsA.LongestWriteRun, runsA.ReadCalls).ShouldBe((1L, 20L, 0L));
        var runsB = snapshot.RunsByFdSlot[Row(snapshot, Main, "read", 4).Fd!.Id];
        (runsB.ReadRuns, runsB.LongestReadRun, runsB.WriteCalls).ShouldBe((1L, 20L, 0L));
    }

    [Fact]
    public void Strictly_alternating_writes_and_reads_make_runs_of_one()
    {
        for (var i = 0; i < 50; i++)
        {
            _s.Call(Main, "sendto", i * 10 * Us, Us, 64, arg0: 3);
            _s.Call(Main, "recvfrom", (i * 10 * Us) + (5 * Us), Us, 64, arg0: 3);
        }

        var snapshot = _s.Snapshot();

        var runs = snapshot.RunsByFdSlot[Row(snapshot, Main, "sendto", 3).Fd!.Id];
        (runs.WriteRuns, runs.LongestWriteRun, runs.AverageWriteRun).ShouldBe((50L, 1L, 1.0));
        (runs.ReadRuns, runs.LongestReadRun).ShouldBe((50L, 1L));
    }

    [Fact]
    public void The_timeline_counts_calls_per_second_of_the_recording()
    {
        _s.Call(Main, "write", 100 * Ms, Us, 1, arg0: 3);
        _s.Call(Main, "write", 1_200 * Ms, Us, 1, arg0: 3);
        _s.Call(Main, "write", 1_900 * Ms, Us, 1, arg0: 3);
        _s.Call(Main, "read", 1_950 * Ms, Us, 1, arg0: 3);
        _s.Call(Main, "write", 3_999 * Ms, Us, 1, arg0: 3);
        _s.Call(Main, "write", -5 * Us, Us, 1, arg0: 3); // drained a little before the origin: first bucket

        var timeline = _s.Snapshot(4 * Second).Timeline;

        timeline.BucketWidthNs.ShouldBe(Second);
        timeline.Length.ShouldBe(4);
        timeline.Counts[Nr("write")][..5].ShouldBe([2L, 2L, 0L, 1L, 0L]);
        timeline.Counts[Nr("read")][..5].ShouldBe([0L, 1L, 0L, 0L, 0L]);
    }

    [Fact]
    public void The_timeline_coarsens_instead_of_growing_past_its_bucket_limit()
    {
        _s.Call(Main, "write", 0, Us, 1, arg0: 3);
        _s.Call(Main, "write", 1_023 * Second, Us, 1, arg0: 3);
        _s.Call(Main, "write", 1_024 * Second, Us, 1, arg0: 3); // the 1025th second: widths double

        var timeline = _s.Snapshot(1_025 * Second).Timeline;

        timeline.BucketWidthNs.ShouldBe(2 * Second);
        timeline.Length.ShouldBe(513);
        var row = timeline.Counts[Nr("write")];
        row.Length.ShouldBe(Timeline.MaxBuckets);
        (row[0], row[511], row[512]).ShouldBe((1L, 1L, 1L));
        row.Sum().ShouldBe(3);
    }

    [Fact]
    public void The_snapshot_duration_runs_from_the_origin_to_the_end_given()
    {
        _s.Call(Main, "getpid", 0, 100, Pid);

        var snapshot = _s.Aggregator.Snapshot(OriginNs + 2_500 * Ms);

        snapshot.StartNs.ShouldBe(OriginNs);
        snapshot.DurationSeconds.ShouldBe(2.5);
    }

    [Fact]
    public void Threads_are_named_through_the_introspector_with_their_role()
    {
        _s.Call(Main, "getpid", 0, 100, Pid);
        _s.Call(Worker, "getpid", 0, 100, Pid);
        _s.Thread(12, "indexer");
        _s.Call(12, "getpid", 0, 100, Pid);

        var threads = _s.Snapshot().Threads;

        threads.ShouldBe(
        [
            new ThreadInfo(Pid, Main, "myapp", ThreadRole.Main),
            new ThreadInfo(Pid, Worker, ".NET TP Worker", ThreadRole.ThreadPoolWorker),
            new ThreadInfo(Pid, 12, "indexer", ThreadRole.UserNamed),
        ]);
    }

    [Fact]
    public void A_thread_whose_name_is_unknown_has_no_role()
    {
        _s.Call(Main, "getpid", 0, 100, Pid);
        _s.Call(12, "getpid", 0, 100, Pid); // gone before it could be named

        var thread = _s.Snapshot().Threads.Single(t => t.Tid == 12);

        thread.Name.ShouldBe("thread 12");
        thread.Role.ShouldBe(ThreadRole.Other);
    }

    [Fact]
    public void A_thread_gone_by_the_snapshot_keeps_the_name_it_had_when_first_seen()
    {
        _s.Call(Worker, "getpid", 0, 100, Pid);
        _s.Introspector.ThreadNames.Remove(Worker);

        _s.Snapshot().Threads.Single(t => t.Tid == Worker).Name.ShouldBe(".NET TP Worker");
    }

    [Fact]
    public void Lost_events_are_counted()
    {
        _s.Aggregator.OnLost(5);
        _s.Aggregator.OnLost(7);

        _s.Aggregator.LostEvents.ShouldBe(12);
        _s.Snapshot().LostEvents.ShouldBe(12);
    }

    [Fact]
    public void The_key_cap_bounds_the_rows_and_folds_the_rest_into_one_row_per_syscall()
    {
        const int extra = 1_000;
        var threads = SyscallAggregator.MaxKeys + extra;
        for (var tid = 1_000; tid < 1_000 + threads; tid++)
        {
            _s.Call(tid, "getpid", 0, 100, Pid);
        }

        _s.Call(5, "gettid", 0, 100, 5); // a new syscall after the cap: its own overflow row
        _s.Call(6, "gettid", 0, 100, 6);

        var snapshot = _s.Snapshot();

        snapshot.Rows.Count.ShouldBe(SyscallAggregator.MaxKeys + 2);
        snapshot.Rows.Sum(r => r.Stats.Count).ShouldBe(threads + 2);
        var overflow = snapshot.Rows.Where(r => r.Tid == -1).ToList();
        overflow.Select(r => (r.Syscall, r.Stats.Count)).ShouldBe([("getpid", (long)extra), ("gettid", 2L)], ignoreOrder: true);
        overflow.ShouldAllBe(r => r.Fd == null && r.Pid == 0);
        snapshot.Threads.Count.ShouldBe(SyscallAggregator.MaxKeys);
    }

    [Fact]
    public void Calls_on_the_same_key_after_the_cap_keep_counting_on_their_own_row()
    {
        _s.Call(Main, "getpid", 0, 100, Pid);
        for (var tid = 1_000; tid < 1_000 + SyscallAggregator.MaxKeys; tid++)
        {
            _s.Call(tid, "getpid", 0, 100, Pid);
        }

        _s.Call(Main, "getpid", 0, 100, Pid);

        Row(_s.Snapshot(), Main, "getpid").Stats.Count.ShouldBe(2);
    }

    [Fact]
    public void The_duration_histogram_of_a_row_holds_every_call()
    {
        _s.Repeat(90, Main, "read", durationNs: 2 * Us, ret: 1, arg0: 3);
        _s.Repeat(10, Main, "read", durationNs: 500 * Us, ret: 1, arg0: 3);

        var row = Row(_s.Snapshot(), Main, "read", 3);

        row.Histogram.Length.ShouldBe(DurationHistogram.BucketCount);
        row.Histogram.Sum().ShouldBe(100);
        row.Histogram[DurationHistogram.BucketOf(2 * Us)].ShouldBe(90);
        row.Histogram[DurationHistogram.BucketOf(500 * Us)].ShouldBe(10);
        DurationHistogram.Percentile(row.Histogram, 0.5).ShouldBe(2 * Us, 2 * Us * 0.13);
        DurationHistogram.Percentile(row.Histogram, 0.99).ShouldBe(500 * Us, 500 * Us * 0.13);
    }
}
