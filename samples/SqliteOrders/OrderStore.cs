using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;

namespace SqliteOrders;

/// <summary>
/// The orders table and its one prepared INSERT. <see cref="SaveEach"/> runs it in autocommit (the ADV006
/// pathology: each row is its own transaction, and SQLite syncs the journal and the database at every
/// commit); <see cref="SaveBatch"/> runs the same statement inside one transaction.
/// </summary>
internal sealed class OrderStore : IDisposable
{
    private static readonly string[] Items = ["widget", "gadget", "sprocket", "flange", "gizmo"];

    private readonly SqliteConnection connection;
    private readonly SqliteCommand insert;
    private readonly SqliteParameter id, item, qty;

    /// <summary>Opens (or creates) the database and an empty orders table, and prepares the INSERT.</summary>
    public OrderStore(string path)
    {
        // No pooling: closing the connection closes the file, so the database can be deleted at the end.
        // SQLite's defaults otherwise: journal_mode=DELETE, synchronous=FULL.
        connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        connection.Open();
        using (var schema = connection.CreateCommand())
        {
            schema.CommandText = "DROP TABLE IF EXISTS orders; CREATE TABLE orders(id INTEGER PRIMARY KEY, item TEXT, qty INT);";
            schema.ExecuteNonQuery();
        }

        insert = connection.CreateCommand();
        insert.CommandText = "INSERT INTO orders(id, item, qty) VALUES ($id, $item, $qty)";
        id = insert.Parameters.Add("$id", SqliteType.Integer);
        item = insert.Parameters.Add("$item", SqliteType.Text);
        qty = insert.Parameters.Add("$qty", SqliteType.Integer);
        insert.Prepare();
    }

    /// <summary>The pathology: one INSERT per row, each committed on its own (autocommit).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)] // so that stacks name it
    public void SaveEach(int rows)
    {
        for (int i = 0; i < rows; i++)
        {
            Insert(i);
        }
    }

    /// <summary>The fixed twin: the same INSERTs, committed once.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public void SaveBatch(int rows)
    {
        using var transaction = connection.BeginTransaction();
        insert.Transaction = transaction;
        for (int i = 0; i < rows; i++)
        {
            Insert(i);
        }

        transaction.Commit();
        insert.Transaction = null;
    }

    /// <summary>Rows in the table, read back after the work.</summary>
    public long Count()
    {
        using var count = connection.CreateCommand();
        count.CommandText = "SELECT COUNT(*) FROM orders";
        return (long)count.ExecuteScalar()!;
    }

    public void Dispose()
    {
        insert.Dispose();
        connection.Dispose();
    }

    private void Insert(int order)
    {
        id.Value = order + 1;
        item.Value = Items[order % Items.Length];
        qty.Value = 1 + (order % 7);
        insert.ExecuteNonQuery();
    }
}
