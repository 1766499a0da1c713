// UnbufferedWriter: many small writes through an unbuffered FileStream (the ADV002 "unbuffered-writes"
// pathology) and its fixed twin, the same writes through a 64 KiB buffer. See samples/README.md.
using System.Diagnostics;
using System.Globalization;
using System.Runtime.ExceptionServices;
using UnbufferedWriter;

const string SampleName = "UnbufferedWriter";
const int FixedBufferSize = 64 * 1024;

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

if (options.RunForSeconds is { } runFor)
{
    return Steady(options, runFor);
}

// bufferSize 0 (1 does the same) gives FileStream no buffering layer at all, so every Write(span) goes
// straight to the kernel as one pwrite64. With 64 KiB, 4096 default-sized (16-byte) records share one.
int bufferSize = options.Fixed ? FixedBufferSize : 0;
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
        files.Add(new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, bufferSize));
    }

    var clock = Stopwatch.StartNew();
    RunOnNewThreads(options.Threads, i => WriteRecords(files[i], i * perThread, perThread, options.Size));
    loopTime = clock.Elapsed;
}
catch (Exception e) when (e is IOException or UnauthorizedAccessException)
{
    Console.Error.WriteLine($"{SampleName}: {e.Message}");
    return 1;
}
finally
{
    files.ForEach(f => f.Dispose()); // nothing left to flush: Dispose makes no write syscall
    if (options.DeleteAtEnd)
    {
        Array.ForEach(paths, File.Delete);
    }
}

long writes = options.Threads * ExpectedWrites(perThread, options.Size, bufferSize);
Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"sample={SampleName} mode={(options.Fixed ? "fixed" : "pathological")} records={options.Count} " +
    $"syscall_writes={writes} syscall_syncs=0 bytes={(long)options.Count * options.Size} path={options.OutputPath} " +
    $"threads={options.Threads} loop_ms={loopTime.TotalMilliseconds:F1}"));
return 0;

// Steady mode, a service that logs as it works (for `monitor`): 10,000 records every 100 ms, unbuffered (or
// buffered with --fixed) for --run-for seconds; with --buffered-after, the fix is applied mid-run.
static int Steady(Options options, int seconds)
{
    const int Batch = 10_000;
    var pace = TimeSpan.FromMilliseconds(100);
    byte[] record = Record.Create(options.Size);
    var clock = Stopwatch.StartNew();
    long records = 0;
    try
    {
        using var file = new FileStream(options.OutputPath, FileMode.Create, FileAccess.Write, FileShare.Read, bufferSize: 0);
        Stream writer = options.Fixed ? new BufferedStream(file, FixedBufferSize) : file;
        while (clock.Elapsed < TimeSpan.FromSeconds(seconds))
        {
            if (writer == file && options.BufferedAfterSeconds is { } after && clock.Elapsed >= TimeSpan.FromSeconds(after))
            {
                writer = new BufferedStream(file, FixedBufferSize);
                Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{SampleName}: buffered from {clock.Elapsed.TotalSeconds:F1} s on"));
            }

            for (int i = 0; i < Batch; i++)
            {
                Record.Stamp(record, (int)records++);
                writer.Write(record);
            }

            Thread.Sleep(pace);
        }

        writer.Flush();
    }
    catch (IOException e)
    {
        Console.Error.WriteLine($"{SampleName}: {e.Message}");
        return 1;
    }
    finally
    {
        if (options.DeleteAtEnd)
        {
            File.Delete(options.OutputPath);
        }
    }

    Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"sample={SampleName} mode=steady records={records} seconds={seconds} buffered_after={options.BufferedAfterSeconds?.ToString(CultureInfo.InvariantCulture) ?? (options.Fixed ? "0" : "never")} path={options.OutputPath}"));
    return 0;
}

// The work loop (also the benchmark workload): nothing in it allocates.
static void WriteRecords(FileStream file, int firstRecord, int records, int size)
{
    byte[] record = Record.Create(size);
    for (int i = 0; i < records; i++)
    {
        Record.Stamp(record, firstRecord + i);
        file.Write(record.AsSpan());
    }

    file.Flush(); // fixed: writes the buffered tail; pathological: nothing is buffered, no syscall
}

// pwrite64 calls FileStream makes for `records` writes of `size` bytes followed by one Flush().
static long ExpectedWrites(int records, int size, int bufferSize)
{
    if (bufferSize <= 1 || size >= bufferSize)
    {
        // No buffer at all; or a write at least as large as the buffer finds it empty and bypasses it
        // (BufferedFileStreamStrategy). One pwrite64 per record either way.
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
