using System.Runtime.CompilerServices;
using Npgsql;

namespace Hang;

/// <summary>
/// ADV015 on a database: a batch job ("order-job", <see cref="OrderJob.Settle"/>) runs an UPDATE on a row that
/// another transaction of the same process holds with SELECT … FOR UPDATE, so PostgreSQL makes the UPDATE wait
/// for that row lock. Npgsql's synchronous API with no CommandTimeout: the job's thread waits for the server's
/// answer as long as the lock is held. Released by the holder committing: the UPDATE then completes.
/// </summary>
internal sealed class DbLock(string host, int port) : IHangScenario
{
    private readonly NpgsqlConnection _holder = new(ConnectionString(host, port, "Hang db-lock holder", commandTimeout: 30));
    private NpgsqlTransaction? _holding;
    private Thread? _job;
    private int _jobBackend;
    private long _updated = -1;

    public void Start()
    {
        _holder.Open();
        using (var create = new NpgsqlCommand(
            "CREATE TABLE IF NOT EXISTS hang_orders (id int PRIMARY KEY, settled bool NOT NULL);"
            + "INSERT INTO hang_orders VALUES (@id, false) ON CONFLICT (id) DO UPDATE SET settled = false",
            _holder))
        {
            create.Parameters.AddWithValue("id", Environment.ProcessId);
            create.ExecuteNonQuery();
        }

        _holding = _holder.BeginTransaction();
        using (var hold = new NpgsqlCommand("SELECT settled FROM hang_orders WHERE id = @id FOR UPDATE", _holder, _holding))
        {
            hold.Parameters.AddWithValue("id", Environment.ProcessId);
            hold.ExecuteScalar();
        }

        using var opened = new ManualResetEventSlim();
        _job = new Thread(() => RunJob(opened)) { Name = "order-job" };
        _job.Start();
        if (!opened.Wait(TimeSpan.FromSeconds(30)))
        {
            throw new IOException($"the job could not connect to PostgreSQL at {host}:{port}");
        }

        WaitUntilBlocked(_jobBackend);
    }

    public string ReadyDetail => $" server={host}:{port} backend={_jobBackend}";

    public void Release() => _holding?.Commit();

    public (long Completed, long Result) Finish(TimeSpan timeout) =>
        _job is not null && _job.Join(timeout) && _updated == 1 ? (1, _updated) : (-1, _updated);

    public void Dispose()
    {
        if (_holder.State == System.Data.ConnectionState.Open)
        {
            using var delete = new NpgsqlCommand("DELETE FROM hang_orders WHERE id = @id", _holder);
            delete.Parameters.AddWithValue("id", Environment.ProcessId);
            delete.ExecuteNonQuery();
        }

        _holding?.Dispose();
        _holder.Dispose();
    }

    private void RunJob(ManualResetEventSlim opened)
    {
        try
        {
            _updated = OrderJob.Settle(ConnectionString(host, port, "Hang db-lock job", commandTimeout: 0), Environment.ProcessId, backend =>
            {
                _jobBackend = backend;
                opened.Set();
            });
        }
        catch (NpgsqlException e)
        {
            // Finish reports the job as not done; the message says why.
            Console.Error.WriteLine($"Hang: the job failed: {e.Message}");
        }
    }

    /// <summary>
    /// Until the job's backend waits for the row lock, as the server itself says (pg_blocking_pids): the ready line
    /// is printed when the hang is in place, not after a guessed delay.
    /// </summary>
    private void WaitUntilBlocked(int backend)
    {
        using var watch = new NpgsqlConnection(ConnectionString(host, port, "Hang db-lock watch", commandTimeout: 30));
        watch.Open();
        using var blocked = new NpgsqlCommand("SELECT cardinality(pg_blocking_pids(@pid))", watch);
        blocked.Parameters.AddWithValue("pid", backend);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while ((int)blocked.ExecuteScalar()! == 0)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new IOException($"the job's UPDATE (backend {backend}) never waited for the row lock");
            }

            Thread.Sleep(20);
        }
    }

    /// <summary>User postgres, no password (trust authentication, as the tests' server has), no pooling.</summary>
    private static string ConnectionString(string host, int port, string application, int commandTimeout) => new NpgsqlConnectionStringBuilder
    {
        Host = host,
        Port = port,
        Database = "postgres",
        Username = "postgres",
        ApplicationName = application,
        // Closing a connection closes its socket: the process has only the connections the scenario holds.
        Pooling = false,
        Timeout = 10,
        // 0 for the job: no timeout, the statement waits as long as the lock is held — the hang triaged.
        CommandTimeout = commandTimeout,
    }.ToString();
}

internal static class OrderJob
{
    /// <summary>Marks the order settled; waits in PostgreSQL while another transaction holds its row.</summary>
    /// <param name="connected">Told the job's backend pid once the connection is open.</param>
    /// <returns>Rows updated.</returns>
    [MethodImpl(MethodImplOptions.NoInlining)] // so that stacks name it
    public static long Settle(string connectionString, int orderId, Action<int> connected)
    {
        using var connection = new NpgsqlConnection(connectionString);
        connection.Open();
        connected(connection.ProcessID);
        using var settle = new NpgsqlCommand("UPDATE hang_orders SET settled = true WHERE id = @id", connection);
        settle.Parameters.AddWithValue("id", orderId);
        return settle.ExecuteNonQuery();
    }
}
