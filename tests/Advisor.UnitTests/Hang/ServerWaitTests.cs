using Advisor.Core.Hang;
using Advisor.Core.Hang.Verdicts;
using Advisor.Core.Rules;
using Advisor.Core.Stacks;
using Advisor.Core.Threads;

namespace Advisor.UnitTests.Hang;

/// <summary>
/// A thread waiting for a server's answer, in recv or in a futex under a client's read: the stuck-I/O verdict
/// names the server, the library and the method; pool workers and idle threads parked in futexes stay idle.
/// </summary>
public class ServerWaitTests
{
    private const double Window = 1_500;

    private static readonly RuleCatalog Catalog = RuleCatalog.BuiltIn();

    /// <summary>Npgsql's synchronous ExecuteNonQuery waiting for the answer, as ClrMD showed it (.NET 10, Npgsql 10): a futex, not recv.</summary>
    private static readonly string[] NpgsqlWait =
    [
        "System.Threading.Monitor.Wait",
        "System.Threading.ManualResetEventSlim.Wait",
        "System.Net.Sockets.SocketAsyncContext.PerformSyncOperation[[System.__Canon, System.Private.CoreLib]]",
        "System.Net.Sockets.SocketAsyncContext.ReceiveFrom",
        "System.Net.Sockets.Socket.Receive",
        "System.Net.Sockets.NetworkStream.Read",
        "Npgsql.Internal.NpgsqlReadBuffer+<<Ensure>g__EnsureLong|54_0>d.MoveNext",
        "System.Runtime.CompilerServices.AsyncMethodBuilderCore.Start[[Npgsql.Internal.NpgsqlReadBuffer+<<Ensure>g__EnsureLong|54_0>d, Npgsql]]",
        "Npgsql.Internal.NpgsqlReadBuffer.EnsureLong",
        "Npgsql.Internal.NpgsqlConnector.ReadMessage",
        "Npgsql.NpgsqlDataReader.NextResult",
        "Npgsql.NpgsqlCommand.ExecuteReader",
        "Npgsql.NpgsqlCommand.ExecuteNonQuery",
        "Npgsql.NpgsqlCommand.ExecuteNonQuery",
        "Shop.OrderJob.Settle",
        "System.Threading.Thread.StartCallback",
    ];

    /// <summary>A thread-per-connection server reading its client's next request.</summary>
    private static readonly string[] ServerRead =
    [
        "System.Threading.Monitor.Wait",
        "System.Threading.ManualResetEventSlim.Wait",
        "System.Net.Sockets.SocketAsyncContext.ReceiveFrom",
        "System.Net.Sockets.Socket.Receive",
        "System.Net.Sockets.NetworkStream.Read",
        "Shop.LineServer.Serve",
        "System.Threading.Thread.StartCallback",
    ];

    private static readonly ProcessSocket Job = new(84, "tcp 127.0.0.1:44224 → 127.0.0.1:5432", false, 0);

    /// <summary>The transaction holding the row lock: idle in transaction, no thread on it.</summary>
    private static readonly ProcessSocket Holder = new(78, "tcp 127.0.0.1:44210 → 127.0.0.1:5432", false, 0);

    private static HangThread Thread(int tid, string name, string syscall, string[] frames, params int[] socketFds) =>
        new(tid, name, ThreadRole.UserNamed, ThreadActivity.Blocked, 'S', "futex_do_wait", syscall, null, null, 12_000, 0, PoolWorkerTests.Stack(frames))
        {
            SocketFds = socketFds,
        };

    private static HangSnapshot Snapshot(IReadOnlyList<HangThread> threads, params ProcessSocket[] sockets) =>
        new(100, "shop", "dotnet shop.dll", Window, threads, null, []) { Sockets = sockets };

    [Fact]
    public void A_thread_in_a_futex_under_Npgsqls_read_is_waiting_for_PostgreSQL_naming_the_server_the_library_the_method_and_the_connection()
    {
        var snapshot = Snapshot([Thread(4242, "order-job", "futex", NpgsqlWait, 84)], Holder, Job);

        var analysis = HangVerdicts.Analyse(snapshot, Catalog);

        analysis.Verdict.Kind.ShouldBe(VerdictKind.BlockedOnIo);
        var finding = analysis.Findings.ShouldHaveSingleItem();
        finding.RuleId.ShouldBe("ADV015");
        finding.Message.ShouldBe(
            "order-job (tid 4242) has been waiting 12.0 s for PostgreSQL at 127.0.0.1:5432 (Npgsql) in Shop.OrderJob.Settle → NpgsqlCommand.ExecuteNonQuery; "
            + "blocked in futex, its connection fd 84 tcp 127.0.0.1:44224 → 127.0.0.1:5432");
        finding.Evidence.Fd.ShouldBe(84);
        finding.Evidence.Path.ShouldBe(Job.Description);
        finding.Advice[0].Text.ShouldContain("pg_blocking_pids");
        analysis.Verdict.Summary.ShouldBe(finding.Message);
        analysis.Verdict.NextStep.ShouldStartWith("The thread waits for PostgreSQL at 127.0.0.1:5432 (Npgsql) to answer: look at the server's side first — in pg_stat_activity, the session of client 127.0.0.1:44224");
        analysis.Verdict.NextStep.ShouldContain("pg_locks");
        analysis.Verdict.NextStep.ShouldContain("CommandTimeout");
    }

    [Fact]
    public void Without_the_socket_on_the_stack_the_one_connection_to_the_server_is_the_one()
    {
        var snapshot = Snapshot([Thread(4242, "order-job", "futex", NpgsqlWait)], Job);

        var finding = HangVerdicts.Analyse(snapshot, Catalog).Findings.ShouldHaveSingleItem();

        finding.Message.ShouldContain("waiting 12.0 s for PostgreSQL at 127.0.0.1:5432 (Npgsql) in Shop.OrderJob.Settle");
        finding.Message.ShouldEndWith("its connection fd 84 tcp 127.0.0.1:44224 → 127.0.0.1:5432");
    }

    [Fact]
    public void Without_the_socket_on_the_stack_several_connections_to_one_server_name_the_server_not_a_connection()
    {
        var wait = ServerWait.Of(Thread(4242, "order-job", "futex", NpgsqlWait), [Holder, Job]).ShouldNotBeNull();

        wait.Server.ShouldBe("PostgreSQL at 127.0.0.1:5432 (Npgsql)");
        wait.Connection.ShouldBeNull();
    }

    [Fact]
    public void Without_the_socket_on_the_stack_the_librarys_usual_port_and_an_answer_not_yet_there_narrow_the_candidates()
    {
        ProcessSocket[] sockets =
        [
            new(70, "tcp 127.0.0.1:5000 → 0.0.0.0:0", true, 0),
            new(71, "tcp 127.0.0.1:5000 → 127.0.0.1:50123", false, 0), // a client of ours, accepted
            new(72, "tcp 10.0.0.1:40000 → 10.0.0.7:6379", false, 0),
            new(73, "tcp 10.0.0.1:40001 → 10.0.0.9:5432", false, 0),
            new(74, "tcp 10.0.0.1:40002 → 10.0.0.8:5432", false, 120), // its answer has come
        ];

        var wait = ServerWait.Of(Thread(4242, "order-job", "futex", NpgsqlWait), sockets).ShouldNotBeNull();

        wait.Server.ShouldBe("PostgreSQL at 10.0.0.9:5432 (Npgsql)");
        wait.Connection!.Fd.ShouldBe(73);
    }

    [Fact]
    public void Candidates_the_stack_cannot_tell_apart_are_all_named()
    {
        ProcessSocket[] sockets = [new(73, "tcp 10.0.0.1:40001 → 10.0.0.9:5432", false, 0), new(74, "tcp 10.0.0.1:40002 → 10.0.0.8:5432", false, 0)];

        ServerWait.Of(Thread(4242, "order-job", "futex", NpgsqlWait), sockets).ShouldNotBeNull().Server
            .ShouldBe("PostgreSQL at one of 10.0.0.9:5432, 10.0.0.8:5432 (Npgsql)");
    }

    [Fact]
    public void A_plain_socket_read_is_named_by_its_port_else_a_TCP_service()
    {
        string[] read = ["System.Net.Sockets.Socket.Receive", "System.Net.Sockets.NetworkStream.Read", "Shop.Quotes.Fetch", "System.Threading.Thread.StartCallback"];

        ServerWait.Of(Thread(1, "fetcher", "recvfrom", read, 9), [new(9, "tcp 127.0.0.1:41000 → 127.0.0.1:6379", false, 0)]).ShouldNotBeNull().Server
            .ShouldBe("Redis at 127.0.0.1:6379");
        var unknown = ServerWait.Of(Thread(1, "fetcher", "recvfrom", read, 9), [new(9, "tcp 127.0.0.1:41000 → 127.0.0.1:39999", false, 0)]).ShouldNotBeNull();
        unknown.Server.ShouldBe("a TCP service at 127.0.0.1:39999");
        unknown.Caller.ShouldBe("Shop.Quotes.Fetch → NetworkStream.Read");
    }

    [Fact]
    public void Only_pool_workers_parked_and_runtime_threads_in_futexes_beside_open_connections_are_idle()
    {
        var parked = Enumerable.Range(0, 3).Select(i => PoolWorkerTests.Worker(200 + i, ThreadActivity.Blocked, PoolWorkerTests.Parked) with { BlockedForMs = 30_000 });
        HangThread[] others =
        [
            Thread(100, "shop", "futex", ["System.Threading.Monitor.Wait", "System.Threading.ManualResetEventSlim.Wait", "Shop.Program.Main"]),
            Thread(101, ".NET Sockets", "epoll_wait", ["System.Net.Sockets.SocketAsyncEngine.EventLoop", "System.Threading.Thread.StartCallback"]) with { Role = ThreadRole.SocketEngine },
        ];

        var analysis = HangVerdicts.Analyse(Snapshot([.. others, .. parked], Holder, Job), Catalog);

        analysis.Verdict.Kind.ShouldBe(VerdictKind.Idle);
        analysis.Findings.ShouldBeEmpty();
    }

    [Fact]
    public void A_server_thread_reading_its_clients_next_request_is_not_waiting_for_a_server()
    {
        ProcessSocket[] sockets = [new(5, "tcp 0.0.0.0:7000 → 0.0.0.0:0", true, 0), new(6, "tcp 127.0.0.1:7000 → 127.0.0.1:51000", false, 0)];

        ServerWait.Of(Thread(300, "line-server", "futex", ServerRead, 6), sockets).ShouldBeNull();
        HangVerdicts.Analyse(Snapshot([Thread(300, "line-server", "futex", ServerRead, 6)], sockets), Catalog).Verdict.Kind.ShouldBe(VerdictKind.Idle);
    }

    [Fact]
    public void Waiting_for_notifications_is_waiting_for_work()
    {
        string[] listen = [.. NpgsqlWait[..10], "Npgsql.NpgsqlConnection.Wait", "Shop.Notifications.Listen"];

        ServerWait.Of(Thread(300, "listener", "futex", listen, 84), [Job]).ShouldBeNull();
    }
}
