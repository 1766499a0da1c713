using Npgsql;
using NpgsqlTypes;

namespace RoundTrips;

/// <summary>The orders table both PostgreSQL shapes work on, and its deterministic rows.</summary>
internal static class OrderRows
{
    /// <summary>Customer of order <paramref name="i"/> (0-based; its id is i + 1).</summary>
    public static string Customer(int i) => $"customer-{i % 50}";

    public static decimal Amount(int i) => (i % 100) + (0.25m * (i % 4));

    /// <summary>The sum of the first <paramref name="rows"/> amounts, in cents.</summary>
    public static long TotalCents(int rows)
    {
        long total = 0;
        for (int i = 0; i < rows; i++)
        {
            total += (long)(Amount(i) * 100);
        }

        return total;
    }

    /// <summary>
    /// An empty orders table, with an index on id (a lookup by id is then cheap, and the round trip is the cost):
    /// one command, one round trip. Dropped first, not truncated: samples/OrdersService has an orders table of
    /// its own shape, and the two may share a database.
    /// </summary>
    public static void Create(NpgsqlConnection connection)
    {
        using var create = new NpgsqlCommand(
            "DROP TABLE IF EXISTS orders; CREATE TABLE orders (id int, customer text, amount numeric); CREATE INDEX orders_id ON orders (id)",
            connection);
        create.ExecuteNonQuery();
    }

    /// <summary>Fills the table with <paramref name="rows"/> orders through one COPY (two round trips).</summary>
    public static void Copy(NpgsqlConnection connection, int rows)
    {
        using var import = connection.BeginBinaryImport("COPY orders (id, customer, amount) FROM STDIN (FORMAT BINARY)");
        for (int i = 0; i < rows; i++)
        {
            import.StartRow();
            import.Write(i + 1, NpgsqlDbType.Integer);
            import.Write(Customer(i), NpgsqlDbType.Text);
            import.Write(Amount(i), NpgsqlDbType.Numeric);
        }

        import.Complete();
    }

    /// <summary>A connection string for user postgres, no password (trust authentication), no pooling.</summary>
    public static string ConnectionString(string host, int port, string database) => new NpgsqlConnectionStringBuilder
    {
        Host = host,
        Port = port,
        Database = database,
        Username = "postgres",
        // Closing the connection closes the socket: the sample leaves nothing open behind it.
        Pooling = false,
        Timeout = 10,
        CommandTimeout = 60,
    }.ToString();
}
