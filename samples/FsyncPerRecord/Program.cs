// FsyncPerRecord: Flush(flushToDisk: true) after every record (the ADV006 "fsync-storm" pathology) and its
// fixed twin, one Flush(true) for the whole file. Both modes use the same 64 KiB-buffered FileStream, so
// the only difference is how often the data is forced to disk. See samples/README.md.
using System.Diagnostics;
using System.Globalization;
using System.Runtime.ExceptionServices;
using FsyncPerRecord;

const string SampleName = "FsyncPerRecord";
const int BufferSize = 64 * 1024;

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

if (options.StartAfter is { } startFile && !StartGate.WaitForFile(startFile, TimeSpan.FromSeconds(60)))
{
    Console.Error.WriteLine($"{SampleName}: gave up after 60 s waiting for '{startFile}' (--start-after)");
    return 3;
}

bool syncEachRecord = !options.Fixed;
int perThread = options.Count / options.Threads;
string[] paths = options.Threads == 1
    ? [options.OutputPath]
    : [.. Enumerable.Range(0, options.Threads).Select(i => $"{options.OutputPath}.{i}")];
var files = new List<FileStream>(paths.Length);
TimeSpan loopTime;
try
{
    // Opened before the clock starts, so loop_ms is the write loop (and the final flush) only.
    foreach (string path in paths)
    {
        files.Add(new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, BufferSize));
    }

    var clock = Stopwatch.StartNew();
    RunOnNewThreads(options.Threads, i => WriteRecords(files[i], i * perThread, perThread, options.Size, syncEachRecord));
    loopTime = clock.Elapsed;
}
catch (Exception e) when (e is IOException or UnauthorizedAccessException)
{
    Console.Error.WriteLine($"{SampleName}: {e.Message}");
    return 1;
}
finally
{
    files.ForEach(f => f.Dispose()); // nothing left to flush; closing a file never fsyncs
    if (options.DeleteAtEnd)
    {
        Array.ForEach(paths, File.Delete);
    }
}

// Pathological: each Flush(true) writes the one buffered record (a record of 64 KiB or more bypasses the
// buffer and is written by Write itself), then calls fsync: one pwrite64 and one fsync per record.
// Fixed: full-buffer pwrite64s plus the tail, and one fsync per file (even an empty one: Flush(true)
// always fsyncs).
long writes = syncEachRecord ? options.Count : options.Threads * ExpectedWrites(perThread, options.Size, BufferSize);
long syncs = syncEachRecord ? options.Count : options.Threads;
Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"sample={SampleName} mode={(options.Fixed ? "fixed" : "pathological")} records={options.Count} " +
    $"syscall_writes={writes} syscall_syncs={syncs} bytes={(long)options.Count * options.Size} path={options.OutputPath} " +
    $"threads={options.Threads} loop_ms={loopTime.TotalMilliseconds:F1}"));
return 0;

// The work loop: nothing in it allocates.
static void WriteRecords(FileStream file, int firstRecord, int records, int size, bool syncEachRecord)
{
    byte[] record = Record.Create(size);
    for (int i = 0; i < records; i++)
    {
        Record.Stamp(record, firstRecord + i);
        file.Write(record.AsSpan());
        if (syncEachRecord)
        {
            // .NET implements this with fsync(2), which waits until the device has the data (and the
            // file's metadata): a full storage round trip per record.
            file.Flush(flushToDisk: true);
        }
    }

    if (!syncEachRecord)
    {
        file.Flush(flushToDisk: true); // one durability point for the whole batch
    }
}

// pwrite64 calls a buffered FileStream makes for `records` writes of `size` bytes followed by one Flush.
static long ExpectedWrites(int records, int size, int bufferSize)
{
    if (size >= bufferSize)
    {
        // A write at least as large as the buffer finds it empty and bypasses it: one pwrite64 per record.
        return records;
    }

    // Smaller writes top the buffer up to exactly bufferSize before writing it out, so every pwrite64
    // carries a full buffer except the last, made by the final Flush for the remainder.
    return (((long)records * size) + bufferSize - 1) / bufferSize;
}


// Dedicated threads, created only now (not thread-pool threads that may already exist), so a profiler
// attached before the work starts sees them being born. Rethrows the first failure on the caller.
static void RunOnNewThreads(int count, Action<int> work)
{
    Exception? failure = null;
    Thread[] threads = [.. Enumerable.Range(0, count).Select(i => new Thread(() =>
    {
        try
        {
            work(i);
        }
        catch (Exception e)
        {
            Interlocked.CompareExchange(ref failure, e, null);
        }
    }) { Name = $"writer-{i}" })];

    Array.ForEach(threads, t => t.Start());
    Array.ForEach(threads, t => t.Join());
    if (failure is not null)
    {
        ExceptionDispatchInfo.Throw(failure);
    }
}
