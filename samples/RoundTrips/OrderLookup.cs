using System.Runtime.CompilerServices;
using Npgsql;
using NpgsqlTypes;

namespace RoundTrips;

/// <summary>
/// ADV019 against PostgreSQL, reading: <see cref="LoadEach"/> fetches each order's amount with its own
/// <c>SELECT … WHERE id = @id</c>, a round trip per id (the N+1 query); <see cref="LoadAll"/> fetches them all
/// with one <c>WHERE id = ANY(@ids)</c>.
/// </summary>
internal sealed class OrderLookup : IRoundTrips
{
    private readonly NpgsqlConnection connection;
    private long totalCents;

    /// <summary>Setup: opens the connection, creates the orders table and fills it (<paramref name="rows"/> rows, one COPY).</summary>
    public OrderLookup(string connectionString, int rows)
    {
        connection = new NpgsqlConnection(connectionString);
        connection.Open();
        OrderRows.Create(connection);
        OrderRows.Copy(connection, rows);
    }

    public long Run(int items, bool isFixed) => isFixed ? LoadAll(items) : LoadEach(items);

    /// <summary>The pathology: one query per id, each waited for before the next is sent.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)] // so that stacks name it
    public long LoadEach(int ids)
    {
        using var select = new NpgsqlCommand("SELECT amount FROM orders WHERE id = @id", connection);
        var id = select.Parameters.Add("id", NpgsqlDbType.Integer);
        long cents = 0;
        for (int i = 0; i < ids; i++)
        {
            id.Value = i + 1;
            cents += (long)((decimal)select.ExecuteScalar()! * 100);
        }

        totalCents = cents;
        return ids;
    }

    /// <summary>The fixed twin: every id in one array parameter, one query.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public long LoadAll(int ids)
    {
        using var select = new NpgsqlCommand("SELECT amount FROM orders WHERE id = ANY(@ids)", connection);
        select.Parameters.Add(new NpgsqlParameter<int[]>("ids", Enumerable.Range(1, ids).ToArray()));
        long cents = 0;
        using (var reader = select.ExecuteReader())
        {
            while (reader.Read())
            {
                cents += (long)(reader.GetDecimal(0) * 100);
            }
        }

        totalCents = cents;
        return 1;
    }

    /// <summary>The sum of the amounts read, in cents.</summary>
    public long Result() => totalCents;

    public void Dispose() => connection.Dispose();
}
