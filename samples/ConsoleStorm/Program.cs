// ConsoleStorm: one Console.WriteLine per record (the ADV002 "unbuffered-writes" pathology, aimed at
// stdout) and its fixed twin, the same lines through one 64 KiB StreamWriter flushed once at the end.
// The lines are the payload on stdout; the summary goes to stderr. See samples/README.md.
using System.Diagnostics;
using System.Globalization;
using System.Runtime.ExceptionServices;
using System.Text;
using ConsoleStorm;

const string SampleName = "ConsoleStorm";
const int FixedBufferSize = 64 * 1024;
const int LineLength = 20; // "record 0000000042 ok"

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

// Pathological: Console.Out is a StreamWriter with AutoFlush = true over an unbuffered stdout stream, whether
// stdout is a terminal, a file or a pipe, so every Console.WriteLine(x) (which is Console.Out.WriteLine(x))
// ends in its own write(2). Fixed: a StreamWriter with a 64 KiB buffer and AutoFlush off only calls write(2)
// when the buffer is full and once more at the final Flush. Synchronized, because the threads share it.
TextWriter output = options.Fixed
    ? TextWriter.Synchronized(new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false), FixedBufferSize))
    : Console.Out;
int perThread = options.Count / options.Threads;

// When stdout is a terminal, .NET initializes the console on its first write and then sends the terminfo
// "keypad_xmit" sequence to fd 1: one more write(2), inside the loop. Reading Console.In runs the same
// initialization now, outside the loop. With stdout redirected to a file or pipe it writes nothing.
_ = Console.In;
TimeSpan loopTime;
try
{
    var clock = Stopwatch.StartNew();
    RunOnNewThreads(options.Threads, i => WriteLines(output, i * perThread, perThread));
    output.Flush(); // fixed: the one flush of the tail; pathological: nothing is buffered, no syscall
    loopTime = clock.Elapsed;
}
catch (IOException e)
{
    Console.Error.WriteLine($"{SampleName}: {e.Message}");
    return 1;
}
finally
{
    if (options.Fixed)
    {
        output.Dispose(); // closes only our duplicate of fd 1
    }
}

// A StreamWriter's char buffer holds bufferSize chars and these ASCII lines encode 1:1 to bytes, so the
// fixed twin writes full 64 KiB chunks plus the tail. Console.Out's own buffer (256 chars) holds a whole
// line, so the pathological mode makes exactly one write(2) per line.
long bytes = (long)options.Count * (LineLength + Environment.NewLine.Length);
long writes = options.Fixed ? (bytes + FixedBufferSize - 1) / FixedBufferSize : options.Count;
Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"sample={SampleName} mode={(options.Fixed ? "fixed" : "pathological")} records={options.Count} " +
    $"syscall_writes={writes} syscall_syncs=0 bytes={bytes} path=stdout " +
    $"threads={options.Threads} loop_ms={loopTime.TotalMilliseconds:F1}"));
return 0;

// The work loop: the line is formatted in place, so nothing in it allocates and both modes do the same
// work; only when the bytes reach the kernel differs.
static void WriteLines(TextWriter output, int firstRecord, int records)
{
    Span<char> line = stackalloc char[LineLength];
    "record ".CopyTo(line);
    " ok".CopyTo(line[^3..]);
    Span<char> number = line[7..^3];
    for (int i = 0; i < records; i++)
    {
        (firstRecord + i).TryFormat(number, out _, "D10", CultureInfo.InvariantCulture);
        output.WriteLine(line);
    }
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
