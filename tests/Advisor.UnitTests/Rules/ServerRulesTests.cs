using Advisor.Core.Events;
using Advisor.Core.Findings;
using Advisor.Core.Rules;
using Advisor.UnitTests.Aggregation;
using static Advisor.UnitTests.Aggregation.SyscallStream;

namespace Advisor.UnitTests.Rules;

/// <summary>
/// A server under load makes a receive and a send per request at rates that would be a storm anywhere else:
/// the rules weigh socket calls against the requests (or, without request counters, the exchanges).
/// </summary>
public class ServerRulesTests
{
    private const int Pid = 10;
    private const int Worker = 12;
    private const long Us = 1_000;
    private const int Connections = 16;
    private const int FirstSocket = 20;

    private static readonly RuleCatalog Catalog = RuleCatalog.BuiltIn();

    private readonly RuntimeStream _s = new(Pid);

    public ServerRulesTests()
    {
        _s.Syscalls.Thread(Worker, ".NET TP Worker");
        for (var c = 0; c < Connections; c++)
        {
            _s.Syscalls.File(FirstSocket + c, $"tcp 127.0.0.1:5000 → 127.0.0.1:{40000 + c}");
        }
    }

    /// <summary>
    /// Kestrel's way with each request: the epoll-woken receive, the receive that finds the socket empty
    /// (EAGAIN), the response, and <paramref name="extra"/> more calls on the socket.
    /// </summary>
    private void Serve(int requests, string extra = "", int extraPerRequest = 0)
    {
        var step = Second / requests;
        for (var i = 0; i < requests; i++)
        {
            var fd = (ulong)(FirstSocket + (i % Connections));
            var at = i * step;
            _s.Syscalls.Call(Worker, "recvfrom", at, 4 * Us, ret: 180, arg0: fd);
            _s.Syscalls.Call(Worker, "recvfrom", at + (5 * Us), 2 * Us, ret: -11, arg0: fd);
            for (var x = 0; x < extraPerRequest; x++)
            {
                _s.Syscalls.Call(Worker, extra, at + (8 * Us) + x, 2 * Us, ret: 0, arg0: fd);
            }

            _s.Syscalls.Call(Worker, "sendto", at + (20 * Us), 8 * Us, ret: 220, arg0: fd);
        }
    }

    /// <summary>The hosting counters' samples: the total once a second, at <paramref name="perSecond"/>.</summary>
    private void CountRequests(int perSecond, int samples = 3)
    {
        for (var i = 0; i < samples; i++)
        {
            _s.Emit(RuntimeEventKind.RequestsTotal, Worker, OriginNs + (i * Second / 2), value: 1_000 + (i * perSecond / 2));
        }
    }

    [Fact]
    public void A_server_receiving_twice_and_sending_once_per_request_at_20k_per_second_is_not_a_storm()
    {
        // 40,000 recvfrom/s (half EAGAIN) and 20,000 sendto/s, 16% and 16% of the second: ADV001's volume alone would fire.
        Serve(20_000);

        RuleEngine.Run(Catalog, _s.Syscalls.Snapshot()).ShouldBeEmpty();
    }

    [Fact]
    public void With_request_counters_the_same_server_is_not_a_storm_either()
    {
        Serve(20_000);
        CountRequests(20_000);

        RuleEngine.Run(Catalog, _s.Joined()).ShouldBeEmpty();
    }

    [Fact]
    public void Many_socket_calls_per_request_are_a_storm_named_per_request()
    {
        // Ten getsockopt per request: 200,000 calls/s, ten per request, above maxPerRequest 8.
        Serve(20_000, "getsockopt", extraPerRequest: 10);
        CountRequests(20_000);

        var finding = RuleEngine.Run(Catalog, _s.Joined()).ShouldHaveSingleItem();

        finding.RuleId.ShouldBe("ADV001");
        finding.Evidence.Syscalls.ShouldBe(["getsockopt"]);
        finding.Message.ShouldStartWith("getsockopt ×200,000 (200,000/s, 10.0 per request) costing");
    }

    [Fact]
    public void Without_request_counters_calls_per_exchange_decide_the_same_way()
    {
        Serve(20_000, "getsockopt", extraPerRequest: 10);

        var finding = RuleEngine.Run(Catalog, _s.Syscalls.Snapshot()).ShouldHaveSingleItem();

        finding.RuleId.ShouldBe("ADV001");
        finding.Message.ShouldStartWith("getsockopt ×200,000 (200,000/s) costing");
    }

    [Fact]
    public void Requests_are_counted_from_the_counters_rate_over_the_recording()
    {
        CountRequests(20_000);

        var requests = _s.Joined().Runtime.Requests;

        requests.Known.ShouldBeTrue();
        requests.PerSecond.ShouldBe(20_000, 1e-6);
        // Samples at 0, 0.5 and 1 s of a 1 s recording: 20,000 between them, nothing before or after.
        requests.Over(OriginNs, OriginNs + Second).ShouldBe(20_000, 1e-6);
    }

    [Fact]
    public void Requests_before_the_first_and_after_the_last_sample_count_at_the_rate_next_to_them()
    {
        // A total of 1,000 at the first sample, 0.5 s into the recording; the first interval ran at 20,000/s.
        for (var i = 0; i < 3; i++)
        {
            _s.Emit(RuntimeEventKind.RequestsTotal, Worker, OriginNs + ((i + 1) * Second / 2), value: 1_000 + (i * 10_000));
        }

        var requests = _s.Joined().Runtime.Requests;

        // 20,000 sampled, and the half second before at 20,000/s — but no more than the 1,000 the first sample had seen.
        requests.Over(OriginNs, OriginNs + (3 * Second / 2)).ShouldBe(21_000, 1e-6);
        // Half a second past the last sample (one interval): still sampled, so at the last interval's rate.
        requests.Over(OriginNs + (Second / 2), OriginNs + (2 * Second)).ShouldBe(20_000 + 10_000, 1e-6);
        // Longer than an interval past it, the samples stopped: the service stopped serving (a shutdown).
        requests.Over(OriginNs + (Second / 2), OriginNs + (2 * Second) + (Second / 5)).ShouldBe(20_000, 1e-6);
    }

    [Fact]
    public void Between_samples_the_total_is_read_on_the_line_joining_them()
    {
        CountRequests(20_000);

        // From 0.25 s (5,000 + 1,000) to 0.75 s (16,000): 10,000 requests.
        _s.Joined().Runtime.Requests.Over(OriginNs + (Second / 4), OriginNs + (3 * Second / 4)).ShouldBe(10_000, 1e-6);
    }

    [Fact]
    public void One_counter_sample_gives_no_rate()
    {
        CountRequests(20_000, samples: 1);

        _s.Joined().Runtime.Requests.Known.ShouldBeFalse();
    }

    [Fact]
    public void A_servers_non_blocking_reads_on_pool_workers_are_not_blocking_io()
    {
        // 40,000 recvfrom of 6 µs on a pool worker, 24% of the second, and one preempted for 12 ms: by their
        // total they look blocked (over 200 ms, over 20%, one over 10 ms), but only that one waited.
        for (var i = 0; i < 40_000; i++)
        {
            _s.Syscalls.Call(Worker, "recvfrom", i * 25 * Us, 6 * Us, ret: i % 2 == 0 ? 180 : -11, arg0: (ulong)(FirstSocket + (i % Connections)));
        }

        _s.Syscalls.Call(Worker, "recvfrom", Second - 100, 12_000 * Us, ret: 180, arg0: FirstSocket);

        RuleEngine.Run(Catalog, _s.Syscalls.Snapshot()).Select(f => f.RuleId).ShouldNotContain("ADV013");
    }

    [Fact]
    public void Small_datagrams_sent_per_request_are_ADV002_naming_how_many_per_request()
    {
        // Three StatsD metrics per request, each its own datagram on one UDP socket, never read from.
        _s.Syscalls.File(9, "udp 127.0.0.1:51000 → 127.0.0.1:8125");
        Serve(4_000);
        for (var i = 0; i < 12_000; i++)
        {
            _s.Syscalls.Call(Worker, "sendto", (i * (Second / 12_000)) + 30, 6 * Us, ret: 24, arg0: 9);
        }

        CountRequests(4_000);

        var finding = RuleEngine.Run(Catalog, _s.Joined()).ShouldHaveSingleItem();

        finding.RuleId.ShouldBe("ADV002");
        finding.Evidence.Path.ShouldBe("udp 127.0.0.1:51000 → 127.0.0.1:8125");
        finding.Message.ShouldStartWith("sendto ×12,000 (24 B avg, 3.0 per request) on udp 127.0.0.1:51000 → 127.0.0.1:8125");
    }
}
