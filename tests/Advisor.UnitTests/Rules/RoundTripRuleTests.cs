using Advisor.Core.Aggregation;
using Advisor.Core.Events;
using Advisor.Core.Findings;
using Advisor.Core.Rules;
using Advisor.Core.Stacks;
using Advisor.UnitTests.Aggregation;
using static Advisor.UnitTests.Aggregation.SyscallStream;

namespace Advisor.UnitTests.Rules;

/// <summary>
/// ADV019 round-trip-storm: a client that waits for each answer before it sends the next request, item after
/// item, is one finding per server; batched, pipelined or concurrent exchanges, a server's own answers and a
/// connection per item are not.
/// </summary>
public class RoundTripRuleTests
{
    private const int Pid = 10;
    private const int Main = 10;
    private const int Io = 14;
    private const long Us = 1_000;
    private const int Socket = 30;
    private const string Postgres = "tcp 127.0.0.1:45000 → 127.0.0.1:5432";

    private static readonly RuleCatalog Catalog = RuleCatalog.BuiltIn();

    private readonly RuntimeStream _r = new(Pid);

    private SyscallStream S => _r.Syscalls;

    private static StackFrame User(string name) => new(name, FrameKind.User);

    private static StackFrame Library(string name) => new(name, FrameKind.Library);

    private static StackFrame Framework(string name) => new(name, FrameKind.Framework);

    /// <summary>
    /// <paramref name="items"/> exchanges on one connected socket: a send, then a receive that blocks until the
    /// answer comes <paramref name="waitUs"/> later, then <paramref name="workUs"/> of the caller's own work.
    /// </summary>
    private long Sequential(
        int items, long waitUs = 900, long workUs = 100, int fd = Socket, long fromNs = 0, int stackId = 0, bool connect = true, bool park = false)
    {
        var at = fromNs;
        if (connect)
        {
            S.Call(Main, "connect", at, 50 * Us, ret: 0, arg0: (ulong)fd);
            at += 60 * Us;
        }

        for (var i = 0; i < items; i++)
        {
            S.Call(Main, "sendto", at, 5 * Us, ret: 120, arg0: (ulong)fd, stackId: stackId);
            if (park)
            {
                // Sync over async: the caller yields, then parks in a futex until the library's read completes.
                S.Call(Main, "sched_yield", at + (5 * Us), 20 * Us, ret: 0);
                S.Call(Main, "futex", at + (25 * Us), (waitUs - 30) * Us, ret: 0, arg0: 0x1000);
                S.Call(Main, "recvfrom", at + ((waitUs - 5) * Us), 5 * Us, ret: 60, arg0: (ulong)fd, stackId: stackId);
                at += (5 + waitUs + workUs) * Us;
                continue;
            }

            S.Call(Main, "recvfrom", at + (5 * Us), waitUs * Us, ret: 60, arg0: (ulong)fd, stackId: stackId);
            at += (5 + waitUs + workUs) * Us;
        }

        return at;
    }

    private AggregateSnapshot Snapshot(long durationNs, Dictionary<int, CallStack>? stacks = null) =>
        S.Snapshot(durationNs) with { Stacks = new CallStacks(stacks ?? []) };

    [Fact]
    public void An_insert_per_row_is_one_finding_with_the_round_trips_the_server_and_the_wait()
    {
        S.File(Socket, Postgres);
        var end = Sequential(2_000);

        var finding = RuleEngine.Run(Catalog, Snapshot(end)).ShouldHaveSingleItem();

        finding.RuleId.ShouldBe("ADV019");
        finding.Severity.ShouldBe(Severity.Warning);
        finding.Message.ShouldStartWith("2,000 round trips (");
        finding.Message.ShouldContain("to PostgreSQL (port 5432) at 127.0.0.1:5432 from the main thread, each waiting 900 µs for its answer: ");
        finding.Message.ShouldEndWith(" in all");
        finding.Evidence.Syscalls.ShouldBe(["sendto", "recvfrom"], ignoreOrder: true);
        finding.Evidence.Count.ShouldBe(4_000);
        // Batched in rows of 1,000, two exchanges stay: the others' waits are what the fix gives back.
        finding.BlockedMs!.Value.ShouldBe(1_800 * 1_998 / 2_000.0, 1);
        finding.AvoidableCalls.ShouldBe(3_996);
        finding.Advice.ShouldNotBeEmpty();
    }

    [Fact]
    public void The_senders_spinning_and_parking_while_it_waits_is_counted_and_its_yields_are_saved_too()
    {
        S.File(Socket, Postgres);
        var end = Sequential(2_000, park: true);

        var finding = RuleEngine.Run(Catalog, Snapshot(end)).ShouldHaveSingleItem();

        finding.Message.ShouldEndWith("; meanwhile the runtime parked or spun the waiters 4,000 times (40 ms in sched_yield)");
        finding.SavingExplanation.ShouldContain("the runtime's spinning meanwhile: 40 ms");
    }

    [Fact]
    public void The_same_rows_in_one_exchange_or_a_few_are_not_a_finding()
    {
        S.File(Socket, Postgres);
        var end = Sequential(3, waitUs: 20_000);

        RuleEngine.Run(Catalog, Snapshot(end)).ShouldNotContain(f => f.RuleId == "ADV019");
    }

    [Fact]
    public void Requests_pipelined_without_waiting_for_each_answer_are_one_exchange_per_burst()
    {
        S.File(Socket, Postgres);
        S.Call(Main, "connect", 0, 50 * Us, ret: 0, arg0: Socket);
        var at = 100 * Us;
        for (var burst = 0; burst < 50; burst++)
        {
            for (var i = 0; i < 100; i++)
            {
                S.Call(Main, "sendto", at, 3 * Us, ret: 40, arg0: Socket);
                at += 4 * Us;
            }

            for (var i = 0; i < 10; i++)
            {
                S.Call(Main, "recvfrom", at, 500 * Us, ret: 400, arg0: Socket);
                at += 501 * Us;
            }
        }

        var snapshot = Snapshot(at);

        snapshot.ConversationsByFdSlot.Values.ShouldHaveSingleItem().Exchanges.ShouldBe(50);
        snapshot.ConversationsByFdSlot.Values.Single().PipelinedSends.ShouldBe(50 * 99);
        RuleEngine.Run(Catalog, snapshot).ShouldNotContain(f => f.RuleId == "ADV019");
    }

    [Fact]
    public void Exchanges_in_flight_together_on_several_connections_are_left_alone()
    {
        // Eight connections, each waiting 900 µs per answer, all at once: eight waits overlap at any moment.
        long end = 0;
        for (var c = 0; c < 8; c++)
        {
            S.File(Socket + c, $"tcp 127.0.0.1:{45000 + c} → 127.0.0.1:5432");
            end = Math.Max(end, Sequential(500, fd: Socket + c, fromNs: c * 10 * Us));
        }

        var snapshot = Snapshot(end);

        RuleEngine.Run(Catalog, snapshot).ShouldNotContain(f => f.RuleId == "ADV019");
    }

    [Fact]
    public void A_server_answering_on_sockets_accept_gave_it_is_not_the_client()
    {
        S.File(40, "tcp 127.0.0.1:5432 → 127.0.0.1:45000");
        S.Call(Main, "accept4", 0, 10 * Us, ret: 40, arg0: 3);
        var at = 20 * Us;
        for (var i = 0; i < 2_000; i++)
        {
            // The server sends its answer, then waits for the next request: the same alternation, the other side.
            S.Call(Main, "recvfrom", at, 900 * Us, ret: 120, arg0: 40);
            S.Call(Main, "sendto", at + (905 * Us), 5 * Us, ret: 60, arg0: 40);
            at += 1_000 * Us;
        }

        var snapshot = Snapshot(at);

        snapshot.ConversationsByFdSlot.Values.ShouldHaveSingleItem().Accepted.ShouldBeTrue();
        RuleEngine.Run(Catalog, snapshot).ShouldNotContain(f => f.RuleId == "ADV019");
    }

    [Fact]
    public void A_connection_made_before_the_recording_is_the_clients_when_its_own_port_is_ephemeral_and_the_peers_is_not()
    {
        S.File(Socket, Postgres);
        var end = Sequential(1_000, connect: false);

        RuleEngine.Run(Catalog, Snapshot(end)).ShouldContain(f => f.RuleId == "ADV019");
        ConversationSide.IsClient(new FdSlot(1, Pid, 5, "tcp 127.0.0.1:5432 → 127.0.0.1:45000"), default).ShouldBeFalse();
        ConversationSide.IsClient(new FdSlot(1, Pid, 5, "udp 127.0.0.1:45000 → 127.0.0.1:8125"), default).ShouldBeFalse();
    }

    [Fact]
    public void Before_the_recording_a_pool_to_a_high_port_is_told_from_a_servers_connections_by_the_ports_they_share()
    {
        // The database on an ephemeral port (a test's server), two pooled connections to it; the service's two
        // accepted connections share its own port 40500.
        FdSlot Slot(int id, string description) => new(id, Pid, id + 10, description);
        List<FdSlot> fds =
        [
            Slot(1, "tcp 127.0.0.1:45001 → 127.0.0.1:38123"),
            Slot(2, "tcp 127.0.0.1:45002 → 127.0.0.1:38123"),
            Slot(3, "tcp 127.0.0.1:40500 → 127.0.0.1:51000"),
            Slot(4, "tcp 127.0.0.1:40500 → 127.0.0.1:51001"),
            Slot(5, "tcp 0.0.0.0:40700 → 0.0.0.0:0"),
            Slot(6, "tcp 127.0.0.1:40700 → 127.0.0.1:52000"),
        ];

        fds.Select(f => ConversationSide.IsClient(f, default, fds)).ShouldBe([true, true, false, false, false, false]);
        // Alone, both ports ephemeral, nothing tells: not taken for a client.
        ConversationSide.IsClient(fds[0], default, [fds[0]]).ShouldBeFalse();
    }

    [Fact]
    public void A_new_connection_per_item_is_connection_churn_not_round_trips_to_batch()
    {
        long at = 0;
        for (var i = 0; i < 1_200; i++)
        {
            var fd = 100 + i;
            S.File(fd, $"tcp 127.0.0.1:{41000 + i} → 127.0.0.1:8080");
            at = Sequential(1, fd: fd, fromNs: at);
            S.Call(Main, "close", at, 5 * Us, ret: 0, arg0: (ulong)fd);
            at += 10 * Us;
        }

        RuleEngine.Run(Catalog, Snapshot(at)).ShouldNotContain(f => f.RuleId == "ADV019");
    }

    [Fact]
    public void In_a_service_round_trips_are_weighed_per_request()
    {
        S.File(Socket, Postgres);
        var end = Sequential(2_000, waitUs: 200, workUs: 10);
        // 100 requests while it ran: 20 round trips each.
        for (var i = 0; i <= 4; i++)
        {
            _r.Emit(RuntimeEventKind.RequestsTotal, Main, OriginNs + (i * end / 4), value: 1_000 + (i * 25));
        }

        var finding = RuleEngine.Run(Catalog, _r.Joined()).ShouldHaveSingleItem();

        finding.RuleId.ShouldBe("ADV019");
        finding.Message.ShouldContain("/s, 20.0 per request) to PostgreSQL");
        // Batched per request, one exchange each stays.
        finding.BlockedMs!.Value.ShouldBe(2_000 * 0.2 * 1_900 / 2_000.0, 1);
    }

    [Fact]
    public void One_query_per_request_in_a_service_is_normal()
    {
        S.File(Socket, Postgres);
        var end = Sequential(2_000, waitUs: 200, workUs: 10);
        for (var i = 0; i <= 4; i++)
        {
            _r.Emit(RuntimeEventKind.RequestsTotal, Main, OriginNs + (i * end / 4), value: 1_000 + (i * 500));
        }

        RuleEngine.Run(Catalog, _r.Joined()).ShouldNotContain(f => f.RuleId == "ADV019");
    }

    [Fact]
    public void The_library_on_the_stacks_names_the_server_and_picks_its_advice()
    {
        S.File(Socket, "tcp 127.0.0.1:45000 → 127.0.0.1:40123");
        var end = Sequential(1_000, stackId: 1);
        var stacks = new Dictionary<int, CallStack>
        {
            [1] = new([
                Framework("System.Net.Sockets.Socket.Send"), Library("Npgsql.Internal.NpgsqlWriteBuffer.Flush"),
                Library("Npgsql.NpgsqlCommand.ExecuteNonQuery"), User("Shop.OrderImporter.ImportOneByOne")]),
        };

        var finding = RuleEngine.Run(Catalog, Snapshot(end, stacks)).ShouldHaveSingleItem();

        finding.Message.ShouldContain("to PostgreSQL (Npgsql) at 127.0.0.1:40123 from Shop.OrderImporter.ImportOneByOne → NpgsqlCommand.ExecuteNonQuery");
        finding.Advice[0].Text.ShouldContain("BeginBinaryImport");
    }

    [Fact]
    public void An_async_caller_is_joined_to_its_endpoints_route_by_the_calls_it_made_before_its_first_await()
    {
        S.File(Socket, Postgres);
        // Resumed on the pool after each answer, the caller runs with its handler gone from the stack; a request's
        // first query ran on the handler's stack. A handler that calls no caller of this group is not its endpoint.
        var end = Sequential(1_900, stackId: 1);
        end = Sequential(100, fromNs: end, stackId: 2, connect: false);
        S.Call(Main, "futex", end, 10 * Us, ret: 0, arg0: 0x2000, stackId: 3);
        var resumed = new List<StackFrame>
        {
            Framework("System.Net.Sockets.Socket.Send"), Library("Npgsql.NpgsqlCommand.ExecuteScalar"),
            User("Shop.Orders+<LoadEach>d__3.MoveNext"), Framework("System.Threading.ThreadPoolWorkQueue.Dispatch"),
        };
        var stacks = new Dictionary<int, CallStack>
        {
            [1] = new(resumed),
            [2] = new([
                .. resumed[..3], Framework("System.Runtime.CompilerServices.AsyncMethodBuilderCore.Start"), User("Shop.Orders.LoadEach"),
                User("Program.Main (lambda)") with { Route = "GET /customers/{id}/orders" },
                User("Shop.RequestTiming.InvokeAsync"), Framework("Microsoft.AspNetCore.Server.Kestrel.Core.Internal.Http.HttpProtocol.ProcessRequests")]),
            [3] = new([
                Framework("System.Threading.Monitor.Wait"), User("Program.Main (lambda)") with { Route = "GET /health" },
                User("Shop.RequestTiming.InvokeAsync")]),
        };

        var finding = RuleEngine.Run(Catalog, Snapshot(end, stacks)).ShouldHaveSingleItem();

        finding.Message.ShouldContain("from Shop.Orders.LoadEach → NpgsqlCommand.ExecuteScalar in endpoint GET /customers/{id}/orders, each waiting");
    }

    [Fact]
    public void Without_a_handlers_route_on_any_stack_the_message_names_no_endpoint()
    {
        S.File(Socket, Postgres);
        var end = Sequential(2_000, stackId: 1);
        var stacks = new Dictionary<int, CallStack>
        {
            [1] = new([Framework("System.Net.Sockets.Socket.Send"), Library("Npgsql.NpgsqlCommand.ExecuteScalar"), User("Shop.Orders.LoadEach")]),
        };

        var finding = RuleEngine.Run(Catalog, Snapshot(end, stacks)).ShouldHaveSingleItem();

        finding.Message.ShouldContain("from Shop.Orders.LoadEach → NpgsqlCommand.ExecuteScalar, each waiting");
    }

    [Fact]
    public void When_the_library_talks_on_its_own_thread_the_caller_is_found_where_it_waited()
    {
        // StackExchange.Redis: its own thread writes and reads the socket; the caller parks in a futex until the answer.
        S.File(Socket, "tcp 127.0.0.1:45000 → 127.0.0.1:40379").Thread(Io, "SERedis IO");
        S.Call(Io, "connect", 0, 50 * Us, ret: 0, arg0: Socket);
        var at = 100 * Us;
        for (var i = 0; i < 1_000; i++)
        {
            S.Call(Io, "sendto", at, 5 * Us, ret: 40, arg0: Socket, stackId: 1);
            S.Call(Main, "futex", at + (1 * Us), 200 * Us, ret: 0, arg0: 0x1000, stackId: 2);
            S.Call(Io, "recvfrom", at + (180 * Us), 5 * Us, ret: 30, arg0: Socket, stackId: 1);
            at += 250 * Us;
        }

        var stacks = new Dictionary<int, CallStack>
        {
            [1] = new([Framework("System.Net.Sockets.Socket.Send"), Library("StackExchange.Redis.PhysicalConnection.WriteAsync")]),
            [2] = new([
                Framework("System.Threading.Monitor.Wait"), Library("StackExchange.Redis.ConnectionMultiplexer.ExecuteSyncImpl"),
                Library("StackExchange.Redis.RedisDatabase.StringGet"), User("Shop.PriceCache.LookupEach")]),
        };

        var finding = RuleEngine.Run(Catalog, Snapshot(at, stacks)).Single(f => f.RuleId == "ADV019");

        finding.Message.ShouldContain("1,000 round trips");
        finding.Message.ShouldContain("to Redis (StackExchange.Redis) at 127.0.0.1:40379 from Shop.PriceCache.LookupEach → RedisDatabase.StringGet");
        // The caller parked elsewhere than the sending thread: its futex waits are not counted as the sender's spinning.
        finding.Message.ShouldNotContain("meanwhile");
        finding.Advice[0].Text.ShouldContain("StringGet(RedisKey[])");
    }

    [Fact]
    public void A_conversation_measures_each_wait_from_the_last_send_to_the_answers_first_receive()
    {
        S.File(Socket, Postgres);
        S.Call(Main, "connect", 0, 10 * Us, ret: 0, arg0: Socket);
        // Two sends of one request, a receive that would block (EAGAIN), a futex while parked, the answer in two reads.
        S.Call(Main, "sendto", 100 * Us, 5 * Us, ret: 10, arg0: Socket);
        S.Call(Main, "sendto", 110 * Us, 5 * Us, ret: 20, arg0: Socket);
        S.Call(Main, "recvfrom", 120 * Us, 1 * Us, ret: -11, arg0: Socket);
        S.Call(Main, "futex", 125 * Us, 300 * Us, ret: 0, arg0: 0x1000);
        S.Call(Main, "recvfrom", 430 * Us, 5 * Us, ret: 50, arg0: Socket);
        S.Call(Main, "recvfrom", 440 * Us, 5 * Us, ret: 50, arg0: Socket);

        var conversation = S.Snapshot().ConversationsByFdSlot.Values.ShouldHaveSingleItem();

        conversation.Connected.ShouldBeTrue();
        conversation.Exchanges.ShouldBe(1);
        conversation.PipelinedSends.ShouldBe(1);
        conversation.WaitNs.ShouldBe((435 - 115) * Us);
        conversation.SendBytes.ShouldBe(30);
        conversation.ReceiveBytes.ShouldBe(100);
        conversation.SpinCalls.ShouldBe(1);
    }
}
