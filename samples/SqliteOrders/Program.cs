// SqliteOrders: rows inserted into SQLite one autocommit transaction each (the ADV006 "fsync-storm"
// pathology: every commit syncs the rollback journal and the database) and its fixed twin, the same
// prepared INSERTs in one transaction. See samples/README.md.
using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;
using SqliteOrders;

const string SampleName = "SqliteOrders";

Options options;
try
{
    options = Options.Parse(args);
}
catch (UsageException e)
{
    Console.Error.WriteLine($"{SampleName}: {e.Message}; {Options.Usage}");
    return 2;
}

long rows;
TimeSpan loopTime;
try
{
    // Opened, created and prepared before the gate: a profiler attached at the gate sees the inserts, not
    // the loading of SQLite or the schema's own commits.
    using var store = new OrderStore(options.DatabasePath);
    if (options.StartAfter is { } startFile && !StartGate.WaitForFile(startFile, TimeSpan.FromSeconds(60)))
    {
        Console.Error.WriteLine($"{SampleName}: gave up after 60 s waiting for '{startFile}' (--start-after)");
        return 3;
    }

    var clock = Stopwatch.StartNew();
    if (options.Fixed)
    {
        store.SaveBatch(options.Count);
    }
    else
    {
        store.SaveEach(options.Count);
    }

    loopTime = clock.Elapsed;
    rows = store.Count();
}
catch (Exception e) when (e is SqliteException or IOException or UnauthorizedAccessException)
{
    Console.Error.WriteLine($"{SampleName}: {e.Message}");
    return 1;
}
finally
{
    if (options.DeleteAtEnd)
    {
        // The journal is gone after each commit; deleted too in case a failure left it behind.
        File.Delete(options.DatabasePath);
        File.Delete(options.DatabasePath + "-journal");
    }
}

Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"sample={SampleName} mode={(options.Fixed ? "fixed" : "pathological")} rows={rows} path={options.DatabasePath} loop_ms={loopTime.TotalMilliseconds:F1}"));
return rows == options.Count ? 0 : 1;
