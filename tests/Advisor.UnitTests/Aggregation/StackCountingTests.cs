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
        row.Stacks.Select(c => (c.StackId, c.Count)).ShouldBe([(9, 50L), (7, 30L)]);
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
        s.Introspector.AccessModes[(s.Pid, 3)] = 0;
        s.Call(12, "openat", 0, 1_000, 3, arg0: unchecked((ulong)-100), arg1: 0x1000, arg2: 0x441); // O_WRONLY|O_CREAT|O_APPEND
        s.Call(12, "pwrite64", 10_000, 1_000, 16, arg0: 3);

        var write = s.Snapshot().Rows.Single(r => r.Syscall == "pwrite64");

        write.Fd!.Resolved.ShouldBeFalse();
        write.Fd.Description.ShouldNotContain("libfoo");
    }

    [Fact]
    public void Without_stacks_rows_carry_none()
    {
        var s = new SyscallStream();
        s.Repeat(10, 12, "getpid", 100, 12);

        s.Snapshot().Rows.ShouldHaveSingleItem().Stacks.ShouldBeEmpty();
    }
}
