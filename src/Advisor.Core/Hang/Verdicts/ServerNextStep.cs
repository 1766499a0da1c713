using System.Globalization;

namespace Advisor.Core.Hang.Verdicts;

/// <summary>
/// The next step for a thread waiting on a server: look at the server's side, where the request is (for a
/// database, its views of sessions and locks), then bound the client's wait with the timeout its library offers.
/// Keyed by the names <see cref="Rules.Metrics.ClientLibrary"/> gives servers and libraries.
/// </summary>
internal static class ServerNextStep
{
    private static readonly Dictionary<string, string> ServerSide = new(StringComparer.Ordinal)
    {
        ["PostgreSQL"] = "in pg_stat_activity, the session{0} (state, wait_event_type, wait_event, query, xact_start); if it waits for a lock, who holds it: pg_blocking_pids(pid) and pg_locks, and whether that session is idle in transaction",
        ["SQL Server"] = "in sys.dm_exec_requests, the session{0}: its blocking_session_id, wait_type and wait_time; sys.dm_tran_locks for the locks involved",
        ["MySQL"] = "SHOW FULL PROCESSLIST (the connection{0}) and, for a lock, sys.innodb_lock_waits (performance_schema.data_lock_waits)",
        ["Redis"] = "CLIENT LIST (the connection{0}) and SLOWLOG GET: one slow or blocking command (KEYS, a large script, BLPOP) holds every client of a Redis",
        ["MongoDB"] = "db.currentOp() (the operation{0}): its secs_running and waitingForLock",
    };

    private static readonly Dictionary<string, string> ClientTimeout = new(StringComparer.Ordinal)
    {
        ["Npgsql"] = "the command's CommandTimeout (Command Timeout in the connection string; 0 waits forever) or a CancellationToken on the async call; on the server, lock_timeout or statement_timeout",
        ["SqlClient"] = "SqlCommand.CommandTimeout (0 waits forever) or a CancellationToken on the async call",
        ["MySqlConnector"] = "the command's CommandTimeout (Default Command Timeout in the connection string) or a CancellationToken on the async call",
        ["StackExchange.Redis"] = "SyncTimeout and AsyncTimeout in the connection's configuration",
        ["MongoDB.Driver"] = "socketTimeout, or MaxTime on the operation, or a CancellationToken",
        ["HttpClient"] = "HttpClient.Timeout or a CancellationToken with CancelAfter",
        ["Grpc.Net.Client"] = "a deadline on the call (CallOptions.Deadline)",
        ["ADO.NET"] = "the command's CommandTimeout or a CancellationToken on the async call",
    };

    private const string AnyServer = "its logs and its own view of the request: it has the request and has not answered";

    private const string AnyClient = "a ReadTimeout on the stream (Socket.ReceiveTimeout), or a CancellationToken with CancelAfter on the async read";

    public static string For(ServerWait wait)
    {
        ArgumentNullException.ThrowIfNull(wait);
        // The client's end of the connection is how the server lists it (pg_stat_activity.client_port, the processlist's Host).
        var client = wait.Connection?.Description is { } description && Local(description) is { } local ? $" of client {local}" : "";
        var serverSide = ServerSide.TryGetValue(wait.Library.Server, out var view)
            ? string.Format(CultureInfo.InvariantCulture, view, client)
            : AnyServer;
        var timeout = wait.Library.Library is { } library && ClientTimeout.TryGetValue(library, out var option) ? option : AnyClient;
        return $"The thread waits for {wait.Server} to answer: look at the server's side first — {serverSide}. Then bound the wait in the client: {timeout}.";
    }

    /// <summary>"127.0.0.1:41234" of "tcp 127.0.0.1:41234 → 127.0.0.1:5432".</summary>
    private static string? Local(string description)
    {
        var space = description.IndexOf(' ', StringComparison.Ordinal);
        var arrow = description.IndexOf(" → ", StringComparison.Ordinal);
        return space < 0 || arrow <= space ? null : description[(space + 1)..arrow];
    }
}
