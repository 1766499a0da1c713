namespace Advisor.UnitTests.Aggregation;

public class StackCountingTests
{
    [Fact]
    public void Each_key_counts_its_calls_per_stack_most_frequent_first()
    {
        var s = new SyscallStream().File(3, "/tmp/a.log");
        s.Repeat(30, 12, "pwrite64", 1_000, 16, arg0: 3, stackId: 7);
        s.Repeat(50, 12, "pwrite64", 1_000, 16, arg0: 3, stackId: 9);
        s.Repeat(5, 12, "pwrite64", 1_000, 16, arg0: 3);

        var row = s.Snapshot().Rows.ShouldHaveSingleItem();

        row.Stats.Count.ShouldBe(85);
        // 80 of the 85 calls had their stack walked: the counts are scaled to the key's 85, the walked ones kept.
        row.Stacks.Select(c => (c.StackId, c.Count, c.Walked)).ShouldBe([(9, 53L, 50L), (7, 32L, 30L)]);
    }

    [Fact]
    public void Stacks_walked_for_every_call_are_exact_counts()
    {
        var s = new SyscallStream().File(3, "/tmp/a.log");
        s.Repeat(30, 12, "pwrite64", 1_000, 16, arg0: 3, stackId: 7);
        s.Repeat(50, 12, "pwrite64", 1_000, 16, arg0: 3, stackId: 9);

        var row = s.Snapshot().Rows.ShouldHaveSingleItem();

        row.Stacks.Select(c => (c.StackId, c.Count, c.Sampled)).ShouldBe([(9, 50L, 0L), (7, 30L, 0L)]);
    }

    [Fact]
    public void A_thread_gone_before_the_snapshot_keeps_the_name_the_kernel_reported()
    {
        var s = new SyscallStream();
        s.Repeat(10, 12, "getpid", 100, 12);
        s.Aggregator.OnThreadName(s.Pid, 12, "writer-3");

        s.Snapshot().ThreadsByTid[12].Name.ShouldBe("writer-3");
    }

    [Fact]
    public void An_fd_reused_for_another_file_before_the_drain_resolved_it_is_not_taken_for_that_file()
    {
        // The target opened fd 3 for writing, wrote and closed it, then opened a library read-only as fd 3,
        // all before the lagging drain got to the write: /proc now names the library.
        var s = new SyscallStream().File(3, "/usr/lib/libfoo.so");
        s.Introspector.OpenFlags[(s.Pid, 3)] = 0;
        s.Call(12, "openat", 0, 1_000, 3, arg0: unchecked((ulong)-100), arg1: 0x1000, arg2: 0x441); // O_WRONLY|O_CREAT|O_APPEND
        s.Call(12, "pwrite64", 10_000, 1_000, 16, arg0: 3);

        var write = s.Snapshot().Rows.Single(r => r.Syscall == "pwrite64");

        write.Fd!.Resolved.ShouldBeFalse();
        write.Fd.Description.ShouldNotContain("libfoo");
    }

    [Fact]
    public void An_append_fd_reused_for_a_dup_of_stdout_is_not_taken_for_stdout()
    {
        // The log's fd number, closed, taken at exit by the runtime's dup of stdout: both write-only, only
        // the log appends.
        var s = new SyscallStream().File(39, "/tmp/out.txt");
        s.Introspector.OpenFlags[(s.Pid, 39)] = 0x80001; // O_WRONLY|O_CLOEXEC
        s.Call(12, "openat", 0, 1_000, 39, arg0: unchecked((ulong)-100), arg1: 0x1000, arg2: 0x80441); // O_WRONLY|O_CREAT|O_APPEND|O_CLOEXEC
        s.Call(12, "pwrite64", 10_000, 1_000, 16, arg0: 39);

        s.Snapshot().Rows.Single(r => r.Syscall == "pwrite64").Fd!.Resolved.ShouldBeFalse();
    }

    [Fact]
    public void A_file_fd_reused_for_a_dup_of_a_stdout_pipe_is_not_taken_for_the_pipe()
    {
        // FileMode.Append opens without O_APPEND (it seeks), so only the kind of file tells them apart.
        var s = new SyscallStream().File(39, "pipe:[1213552]");
        s.Introspector.OpenFlags[(s.Pid, 39)] = 0x80001;
        s.Call(12, "openat", 0, 1_000, 39, arg0: unchecked((ulong)-100), arg1: 0x1000, arg2: 0x80041); // O_WRONLY|O_CREAT|O_CLOEXEC
        s.Call(12, "lseek", 10_000, 1_000, 0, arg0: 39);

        s.Snapshot().Rows.Single(r => r.Syscall == "lseek").Fd!.Resolved.ShouldBeFalse();
    }

    [Fact]
    public void A_socket_fd_reused_for_a_pipe_before_the_drain_resolved_it_is_not_taken_for_the_pipe()
    {
        var s = new SyscallStream().File(40, "pipe:[81234]");
        s.Call(12, "socket", 0, 1_000, 40, arg0: 2, arg1: 1);
        s.Call(12, "connect", 10_000, 1_000, -115, arg0: 40);

        var connect = s.Snapshot().Rows.Single(r => r.Syscall == "connect");

        connect.Fd!.Resolved.ShouldBeFalse();
        connect.Fd.Description.ShouldNotContain("pipe");
    }

    [Fact]
    public void The_same_file_still_open_with_the_flags_it_was_opened_with_is_resolved()
    {
        var s = new SyscallStream().File(39, "/tmp/app.log");
        s.Introspector.OpenFlags[(s.Pid, 39)] = 0x88441; // as fdinfo shows it: O_LARGEFILE added
        s.Call(12, "openat", 0, 1_000, 39, arg0: unchecked((ulong)-100), arg1: 0x1000, arg2: 0x80441);
        s.Call(12, "pwrite64", 10_000, 1_000, 16, arg0: 39);

        s.Snapshot().Rows.Single(r => r.Syscall == "pwrite64").Fd!.Description.ShouldBe("/tmp/app.log");
    }

    [Fact]
    public void Without_stacks_rows_carry_none()
    {
        var s = new SyscallStream();
        s.Repeat(10, 12, "getpid", 100, 12);

        s.Snapshot().Rows.ShouldHaveSingleItem().Stacks.ShouldBeEmpty();
    }
}
