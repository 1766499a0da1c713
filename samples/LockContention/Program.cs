// LockContention: thread-pool work items that all take one shared lock for every item (the ADV004
// "lock-contention" pathology) and its fixed twin, the same work on per-task state merged once at the end.
// With --markers it first emits correlation markers (an exception, then a sched_yield) on the main thread.
// See samples/README.md.
using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using LockContention;

const string SampleName = "LockContention";
const int MarkerPauseMs = 20;

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

// Correlation markers, before the work so that nothing else is going on. Each one is a pair of events on
// the main thread, one from each source: the throw makes the runtime emit an ExceptionThrown event
// (EventPipe), and Thread.Yield right after it is one sched_yield syscall on Linux (perf/ptrace). Both
// sources stamp with CLOCK_MONOTONIC, so a test can check that the two timestamps of each pair are within
// 1 ms of each other. The 20 ms pause keeps consecutive pairs far apart, so they cannot be mismatched.
for (int i = 0; i < options.Markers; i++)
{
    try
    {
        ThrowMarker(i);
    }
    catch (CorrelationMarkerException)
    {
        // Expected: the marker is the throw itself.
    }

    Thread.Yield();
    Thread.Sleep(MarkerPauseMs);
}

var counter = new SharedCounter();
int perTask = options.Count / options.Tasks;
var clock = Stopwatch.StartNew();

// Thread-pool work items, not dedicated threads, so that the runtime's thread-pool events fire too
// (worker threads starting, work items queued). With the default minimum, the pool runs one task per core
// at first, and the rest wait in its queue.
Task[] tasks = [.. Enumerable.Range(0, options.Tasks).Select(t => Task.Run(options.Fixed
    ? () => CountLocally(counter, t * perTask, perTask)
    : () => CountShared(counter, t * perTask, perTask)))];
Task.WaitAll(tasks);
TimeSpan loopTime = clock.Elapsed;

Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"sample={SampleName} mode={(options.Fixed ? "fixed" : "pathological")} tasks={options.Tasks} " +
    $"iterations={options.Count} total={counter.Total()} markers={options.Markers} " +
    $"loop_ms={loopTime.TotalMilliseconds:F1}"));
return 0;

// Pathological: one lock acquisition per item, all on the same lock.
static void CountShared(SharedCounter counter, int firstItem, int items)
{
    for (int i = 0; i < items; i++)
    {
        counter.Increment(firstItem + i);
    }
}

// Fixed: the same work on the task's own buckets, then one lock acquisition to merge them.
static void CountLocally(SharedCounter counter, int firstItem, int items)
{
    Span<long> buckets = stackalloc long[SharedCounter.BucketCount];
    for (int i = 0; i < items; i++)
    {
        SharedCounter.Work(buckets, firstItem + i);
    }

    counter.Merge(buckets);
}

// Not inlined, so the throw stays a real throw from its own frame.
[MethodImpl(MethodImplOptions.NoInlining)]
static void ThrowMarker(int index) => throw new CorrelationMarkerException(index);
