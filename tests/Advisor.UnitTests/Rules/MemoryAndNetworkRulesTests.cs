using Advisor.Core.Findings;
using Advisor.Core.Rules;
using Advisor.UnitTests.Aggregation;
using static Advisor.UnitTests.Aggregation.SyscallStream;

namespace Advisor.UnitTests.Rules;

/// <summary>
/// ADV011 memory-map-churn, ADV012 connection-churn, ADV013 blocking-io-on-threadpool and ADV018
/// busy-event-loop over synthetic streams: each pattern, and the runtime's normal behaviour that looks like
/// it at first sight.
/// </summary>
public class MemoryAndNetworkRulesTests
{
    private const int Pid = 10;
    private const int Main = 10;
    private const long Us = 1_000;
    private const long Ms = 1_000_000;
    private const ulong MiB = 1 << 20;
    private const ulong ProtReadWrite = 3;
    private const ulong ProtNone = 0;
    private const ulong MadvDontNeed = 4;
    private const ulong MadvDontDump = 16;

    private static readonly RuleCatalog Catalog = RuleCatalog.BuiltIn();

    private readonly SyscallStream _s = new SyscallStream(Pid).Thread(Main, "myapp");

    private IReadOnlyList<Finding> Run(long durationNs = Second) => RuleEngine.Run(Catalog, _s.Snapshot(durationNs));

    // ---- ADV011 memory-map-churn ----

    [Fact]
    public void A_64_MiB_native_buffer_mapped_and_unmapped_per_item_is_ADV011()
    {
        for (var i = 0; i < 2_000; i++)
        {
            var at = i * (Second / 2_000);
            _s.Call(Main, "mmap", at, 10 * Us, ret: 0x7f00_0000_0000, arg0: 0, arg1: 64 * MiB, arg2: ProtReadWrite);
            _s.Call(Main, "munmap", at + (100 * Us), 20 * Us, ret: 0, arg0: 0x7f00_0000_0000, arg1: 64 * MiB);
        }

        var finding = Run().ShouldHaveSingleItem();

        finding.RuleId.ShouldBe("ADV011");
        finding.Message.ShouldStartWith("4,000 large memory ranges mapped or released (268 GB in all)");
        finding.AvoidableCalls.ShouldBe(3_999);
        finding.Evidence.Bytes.ShouldBe(4_000L * 64 * 1024 * 1024);
    }

    [Fact]
    public void The_runtimes_start_up_mappings_are_not_churn()
    {
        // The GC reserves its address space (PROT_NONE, marked not to dump) and the JIT writes code through
        // page-sized shared mappings: thousands of calls, in the first second.
        _s.Call(Main, "mmap", 0, 20 * Us, ret: 0x7e00_0000_0000, arg1: 256UL << 30, arg2: ProtNone);
        _s.Call(Main, "madvise", 30 * Us, 5 * Us, ret: 0, arg0: 0x7e00_0000_0000, arg1: 256UL << 30, arg2: MadvDontDump);
        for (var i = 0; i < 3_000; i++)
        {
            var at = (i + 1) * (Second / 4_000);
            _s.Call(Main, "mmap", at, 5 * Us, ret: 0x7f00_0000_0000, arg1: 4096, arg2: ProtReadWrite);
            _s.Call(Main, "mprotect", at + (10 * Us), 3 * Us, ret: 0, arg1: 4096, arg2: ProtReadWrite);
            _s.Call(Main, "munmap", at + (20 * Us), 3 * Us, ret: 0, arg1: 4096);
        }

        Run().ShouldBeEmpty();
    }

    [Fact]
    public void Reserving_fencing_and_dump_marking_count_no_bytes()
    {
        _s.Repeat(1_000, Main, "mmap", durationNs: 5 * Us, ret: 0x7f00_0000_0000);
        for (var i = 0; i < 1_000; i++)
        {
            _s.Call(Main, "mprotect", i * Ms, 3 * Us, ret: 0, arg1: 64 * MiB, arg2: ProtNone);
            _s.Call(Main, "madvise", (i * Ms) + (10 * Us), 3 * Us, ret: 0, arg1: 64 * MiB, arg2: MadvDontDump);
        }

        Run().ShouldBeEmpty();
    }

    [Fact]
    public void Memory_given_back_with_MADV_DONTNEED_counts()
    {
        for (var i = 0; i < 1_000; i++)
        {
            _s.Call(Main, "mprotect", i * Ms, 8 * Us, ret: 0, arg1: 4 * MiB, arg2: ProtReadWrite);
            _s.Call(Main, "madvise", (i * Ms) + (100 * Us), 8 * Us, ret: 0, arg1: 4 * MiB, arg2: MadvDontNeed);
        }

        Run().ShouldHaveSingleItem().RuleId.ShouldBe("ADV011");
    }

    [Fact]
    public void Large_buffers_mapped_now_and_then_are_not_churn()
    {
        for (var i = 0; i < 300; i++)
        {
            _s.Call(Main, "mmap", i * 100 * Ms, 10 * Us, ret: 0x7f00_0000_0000, arg1: 64 * MiB, arg2: ProtReadWrite);
            _s.Call(Main, "munmap", (i * 100 * Ms) + Ms, 20 * Us, ret: 0, arg1: 64 * MiB);
        }

        Run(30 * Second).ShouldBeEmpty();
    }

    // ---- ADV012 connection-churn ----

    private void ConnectPerRequest(int requests, Func<int, string?> describe, long spanNs = Second)
    {
        const int Fd = 40;
        for (var i = 0; i < requests; i++)
        {
            var at = i * (spanNs / requests);
            if (describe(i) is { } description)
            {
                _s.Introspector.Fds[(Pid, Fd)] = description;
            }
            else
            {
                _s.Introspector.Fds.Remove((Pid, Fd));
            }

            _s.Call(Main, "connect", at, 30 * Us, ret: -115, arg0: Fd); // EINPROGRESS: a non-blocking connect
            _s.Call(Main, "sendto", at + (100 * Us), 5 * Us, ret: 80, arg0: Fd);
            _s.Call(Main, "recvfrom", at + (300 * Us), 5 * Us, ret: 40, arg0: Fd);
            _s.Call(Main, "close", at + (400 * Us), 5 * Us, ret: 0, arg0: Fd);
        }
    }

    [Fact]
    public void A_new_connection_per_request_is_ADV012_naming_the_endpoint()
    {
        ConnectPerRequest(500, i => $"tcp 127.0.0.1:{40_000 + i} → 127.0.0.1:8080");

        var finding = Run().ShouldHaveSingleItem();

        finding.RuleId.ShouldBe("ADV012");
        finding.Message.ShouldStartWith("500 connections opened (500/s) to 127.0.0.1:8080");
        finding.AvoidableCalls.ShouldBe(499);
    }

    [Fact]
    public void A_socket_seen_before_it_connected_is_read_again_for_its_peer()
    {
        const int Fd = 41;
        for (var i = 0; i < 200; i++)
        {
            var at = i * 5 * Ms;
            _s.Introspector.Fds[(Pid, Fd)] = $"socket:[{9000 + i}]"; // not in the tcp table before it connects
            _s.Call(Main, "setsockopt", at, 2 * Us, ret: 0, arg0: Fd);
            _s.Introspector.Fds[(Pid, Fd)] = $"tcp 10.0.0.5:{50_000 + i} → 10.0.0.9:5432";
            _s.Call(Main, "connect", at + (10 * Us), 200 * Us, ret: 0, arg0: Fd);
            _s.Call(Main, "close", at + Ms, 5 * Us, ret: 0, arg0: Fd);
        }

        Run().ShouldHaveSingleItem().Message.ShouldStartWith("200 connections opened (200/s) to 10.0.0.9:5432");
    }

    [Fact]
    public void Connections_closed_before_proc_showed_them_have_unknown_endpoints()
    {
        ConnectPerRequest(500, _ => null);

        Run().ShouldHaveSingleItem().Message.ShouldStartWith("500 connections opened (500/s) to unknown endpoints");
    }

    [Fact]
    public void A_pool_opening_its_connections_is_not_churn()
    {
        ConnectPerRequest(20, i => $"tcp 127.0.0.1:{40_000 + i} → 127.0.0.1:8080", spanNs: 10 * Second);

        Run(10 * Second).ShouldBeEmpty();
    }

    // ---- ADV013 blocking-io-on-threadpool ----

    private void BlockingReads(int[] threads, int readsPerThread, long readNs, int fd)
    {
        foreach (var tid in threads)
        {
            for (var i = 0; i < readsPerThread; i++)
            {
                _s.Call(tid, "sendto", i * (readNs + (100 * Us)), 5 * Us, ret: 16, arg0: (ulong)fd);
                _s.Call(tid, "recvfrom", (i * (readNs + (100 * Us))) + (10 * Us), readNs, ret: 16, arg0: (ulong)fd);
            }
        }
    }

    [Fact]
    public void Pool_workers_blocked_in_socket_reads_are_ADV013()
    {
        int[] workers = [21, 22, 23, 24];
        foreach (var tid in workers)
        {
            _s.Thread(tid, ".NET TP Worker");
        }

        _s.File(7, "tcp 127.0.0.1:40001 → 127.0.0.1:9000");
        BlockingReads(workers, readsPerThread: 45, readNs: 20 * Ms, fd: 7);

        var finding = Run().ShouldHaveSingleItem();

        finding.RuleId.ShouldBe("ADV013");
        finding.Message.ShouldStartWith("pool workers blocked 3.6 s in recvfrom (180 of 180 calls waited, longest 20 ms)");
        // Blocked reads are waiting: the fix gives the time back as latency, not CPU (no recorder cost known
        // here, so a wait's own CPU counts nothing).
        finding.BlockedMs.ShouldNotBeNull().ShouldBe(3_600, tolerance: 1);
        finding.EstimatedSavingMs.ShouldBe(0, tolerance: 1e-9);
        finding.SavingExplanation.ShouldEndWith("they also waited 3.6 s: latency, not CPU");
    }

    [Fact]
    public void The_same_blocking_reads_on_an_application_thread_are_not_ADV013()
    {
        _s.Thread(30, "reader");
        _s.File(7, "tcp 127.0.0.1:40001 → 127.0.0.1:9000");
        BlockingReads([30], readsPerThread: 45, readNs: 20 * Ms, fd: 7);

        Run().ShouldBeEmpty();
    }

    [Fact]
    public void Pool_workers_doing_non_blocking_socket_reads_are_not_ADV013()
    {
        _s.Thread(21, ".NET TP Worker");
        _s.File(7, "tcp 127.0.0.1:5000 → 127.0.0.1:40001");
        for (var i = 0; i < 1_000; i++)
        {
            // A speculative receive that finds nothing (EAGAIN), the one after epoll's wake-up, the response.
            _s.Call(21, "recvfrom", i * Ms, 3 * Us, ret: -11, arg0: 7);
            _s.Call(21, "recvfrom", (i * Ms) + (50 * Us), 3 * Us, ret: 64, arg0: 7);
            _s.Call(21, "sendto", (i * Ms) + (60 * Us), 5 * Us, ret: 64, arg0: 7);
        }

        Run().ShouldBeEmpty();
    }

    // ---- ADV018 busy-event-loop ----

    [Fact]
    public void Polling_a_socket_with_a_zero_timeout_in_a_loop_is_ADV018()
    {
        _s.Repeat(200_000, Main, "poll", durationNs: 2 * Us, ret: 0);
        _s.Repeat(500, Main, "recvfrom", durationNs: 3 * Us, ret: 16, arg0: 7);

        var finding = Run().ShouldHaveSingleItem();

        finding.RuleId.ShouldBe("ADV018");
        finding.Message.ShouldStartWith("poll ×200,000 (200,000/s), 200,000 of them with nothing ready");
    }

    [Fact]
    public void An_event_loop_woken_by_events_is_not_ADV018()
    {
        _s.Thread(25, ".NET SynchManager");
        _s.Repeat(50_000, 25, "epoll_wait", durationNs: 15 * Us, ret: 1, arg0: 9);

        Run().ShouldBeEmpty();
    }

    [Fact]
    public void Polls_that_wait_until_the_socket_is_ready_are_not_ADV018()
    {
        _s.Repeat(500, Main, "poll", durationNs: 1_100 * Us, ret: 1);

        Run().ShouldBeEmpty();
    }
}
