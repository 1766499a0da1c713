using System.Runtime.CompilerServices;
using Npgsql;
using NpgsqlTypes;

namespace RoundTrips;

/// <summary>
/// ADV019 against PostgreSQL (Npgsql): <see cref="ImportOneByOne"/> inserts each order with its own
/// autocommitted INSERT, a round trip per row; <see cref="ImportBatched"/> sends them all through one COPY.
/// </summary>
internal sealed class OrderImporter : IRoundTrips
{
    private readonly NpgsqlConnection connection;

    /// <summary>Setup: opens the connection and an empty orders table.</summary>
    public OrderImporter(string connectionString)
    {
        connection = new NpgsqlConnection(connectionString);
        connection.Open();
        OrderRows.Create(connection);
    }

    public long Run(int items, bool isFixed) => isFixed ? ImportBatched(items) : ImportOneByOne(items);

    /// <summary>The pathology: one INSERT per row, each sent and waited for before the next (autocommit).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)] // so that stacks name it
    public long ImportOneByOne(int rows)
    {
        using var insert = new NpgsqlCommand("INSERT INTO orders (id, customer, amount) VALUES (@id, @customer, @amount)", connection);
        var id = insert.Parameters.Add("id", NpgsqlDbType.Integer);
        var customer = insert.Parameters.Add("customer", NpgsqlDbType.Text);
        var amount = insert.Parameters.Add("amount", NpgsqlDbType.Numeric);
        for (int i = 0; i < rows; i++)
        {
            id.Value = i + 1;
            customer.Value = OrderRows.Customer(i);
            amount.Value = OrderRows.Amount(i);
            insert.ExecuteNonQuery();
        }

        return rows;
    }

    /// <summary>The fixed twin: the same rows streamed through one binary COPY.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public long ImportBatched(int rows)
    {
        OrderRows.Copy(connection, rows);
        // The COPY's start (CopyInResponse awaited) and its end (CommandComplete awaited); the rows in between
        // are streamed without an answer.
        return 2;
    }

    /// <summary>The rows in the table: one more query, after the clock.</summary>
    public long Result()
    {
        using var count = new NpgsqlCommand("SELECT count(*) FROM orders", connection);
        return (long)count.ExecuteScalar()!;
    }

    public void Dispose() => connection.Dispose();
}
