using System.Runtime.CompilerServices;
using Npgsql;
using NpgsqlTypes;

namespace OrdersService;

/// <summary>
/// A customer's orders and their total, read from PostgreSQL through a pooled <see cref="NpgsqlDataSource"/>:
/// <see cref="LoadOneByOne"/> the N+1 way (the ids, then one query per order), <see cref="LoadTotal"/> with one
/// aggregate query.
/// </summary>
internal sealed class OrderSummaries(NpgsqlDataSource database)
{
    public const int Customers = 200;
    public const int OrdersPerCustomer = 20;

    private long roundTrips;

    /// <summary>The queries the handlers sent (each one a round trip to the server), since the start.</summary>
    public long RoundTrips => Interlocked.Read(ref roundTrips);

    /// <summary>
    /// Replaces the tables <c>customers(id, name)</c> and <c>orders(id, customer_id, amount)</c> and fills them,
    /// one COPY each: <see cref="Customers"/> customers, <see cref="OrdersPerCustomer"/> orders each.
    /// </summary>
    public static async Task SeedAsync(NpgsqlDataSource database)
    {
        await using var connection = await database.OpenConnectionAsync().ConfigureAwait(false);
        await using (var schema = new NpgsqlCommand(
            "DROP TABLE IF EXISTS orders, customers; " +
            "CREATE TABLE customers (id int PRIMARY KEY, name text NOT NULL); " +
            "CREATE TABLE orders (id int PRIMARY KEY, customer_id int NOT NULL, amount numeric NOT NULL); " +
            "CREATE INDEX orders_customer ON orders (customer_id)",
            connection))
        {
            await schema.ExecuteNonQueryAsync().ConfigureAwait(false);
        }

        await using (var customers = await connection.BeginBinaryImportAsync("COPY customers (id, name) FROM STDIN (FORMAT BINARY)").ConfigureAwait(false))
        {
            for (int id = 1; id <= Customers; id++)
            {
                await customers.StartRowAsync().ConfigureAwait(false);
                await customers.WriteAsync(id, NpgsqlDbType.Integer).ConfigureAwait(false);
                await customers.WriteAsync($"customer-{id}", NpgsqlDbType.Text).ConfigureAwait(false);
            }

            await customers.CompleteAsync().ConfigureAwait(false);
        }

        await using var orders = await connection.BeginBinaryImportAsync("COPY orders (id, customer_id, amount) FROM STDIN (FORMAT BINARY)").ConfigureAwait(false);
        for (int id = 1; id <= Customers * OrdersPerCustomer; id++)
        {
            await orders.StartRowAsync().ConfigureAwait(false);
            await orders.WriteAsync(id, NpgsqlDbType.Integer).ConfigureAwait(false);
            await orders.WriteAsync(1 + ((id - 1) / OrdersPerCustomer), NpgsqlDbType.Integer).ConfigureAwait(false);
            await orders.WriteAsync(1 + (id * 37 % 1000 / 10m), NpgsqlDbType.Numeric).ConfigureAwait(false);
        }

        await orders.CompleteAsync().ConfigureAwait(false);
    }

    /// <summary>The N+1: the customer's order ids with one query, then one query per order for its amount.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)] // so that stacks name it
    public async Task<OrderTotal> LoadOneByOne(int customer)
    {
        await using var connection = await database.OpenConnectionAsync().ConfigureAwait(false);
        var ids = new List<int>(OrdersPerCustomer);
        await using (var list = new NpgsqlCommand("SELECT id FROM orders WHERE customer_id = @customer ORDER BY id", connection))
        {
            list.Parameters.AddWithValue("customer", customer);
            await using var reader = await list.ExecuteReaderAsync().ConfigureAwait(false);
            while (await reader.ReadAsync().ConfigureAwait(false))
            {
                ids.Add(reader.GetInt32(0));
            }
        }

        decimal total = 0;
        await using var amount = new NpgsqlCommand("SELECT amount FROM orders WHERE id = @id", connection);
        var id = amount.Parameters.Add("id", NpgsqlDbType.Integer);
        foreach (int order in ids)
        {
            id.Value = order;
            total += (decimal)(await amount.ExecuteScalarAsync().ConfigureAwait(false))!;
        }

        Interlocked.Add(ref roundTrips, 1 + ids.Count);
        return new OrderTotal(customer, ids.Count, total);
    }

    /// <summary>The healthy way: the count and the sum in one query.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public async Task<OrderTotal> LoadTotal(int customer)
    {
        await using var connection = await database.OpenConnectionAsync().ConfigureAwait(false);
        await using var total = new NpgsqlCommand(
            "SELECT count(o.id)::int, coalesce(sum(o.amount), 0) FROM customers c JOIN orders o ON o.customer_id = c.id WHERE c.id = @customer",
            connection);
        total.Parameters.AddWithValue("customer", customer);
        await using var reader = await total.ExecuteReaderAsync().ConfigureAwait(false);
        await reader.ReadAsync().ConfigureAwait(false);
        var result = new OrderTotal(customer, reader.GetInt32(0), reader.GetDecimal(1));
        Interlocked.Increment(ref roundTrips);
        return result;
    }
}

/// <summary>What both endpoints answer, as JSON: the same for one customer whichever way it was read.</summary>
internal sealed record OrderTotal(int Customer, int Orders, decimal Total);
