// Scenarios: one small app, several pathologies, each with a fixed twin (--fixed). Each scenario is the
// sample of one rule; see samples/README.md.
using System.Diagnostics;
using System.Globalization;
using Scenarios;

const string SampleName = "Scenarios";

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

// The summary goes to stderr at the end: create its handle now, so it does not take an fd number the
// scenario's files used (see ReopenAppend).
var summary = Console.Error;
string? input = null;
try
{
    input = options.Scenario == "small-reads" ? SmallReads.Prepare(options.Count) : null;
    if (options.StartAfter is { } startFile && !StartGate.WaitForFile(startFile, TimeSpan.FromSeconds(60)))
    {
        Console.Error.WriteLine($"{SampleName}: gave up after 60 s waiting for '{startFile}' (--start-after)");
        return 3;
    }

    var clock = Stopwatch.StartNew();
    (string Key, long Syscalls, long Result) outcome = options.Scenario switch
    {
        "small-reads" => Tuple("syscall_reads", SmallReads.Run(input!, options.Fixed)),
        "polling-sleep" => ("syscall_sleeps", PollingSleep.Run(options.Count, options.Fixed), 0),
        "process-spawn" => Tuple("syscall_execs", ProcessSpawn.Run(options.Count, options.Fixed)),
        "sync-over-async" => Tuple("blocking_waits", SyncOverAsync.Run(options.Count, options.Fixed)),
        "yield-spin" => ("syscall_yields", YieldSpin.Run(options.Count, options.Fixed), 0),
        "failing-probe" => Tuple("syscall_failures", FailingProbe.Run(options.Count, options.Fixed)),
        "reopen-append" => Tuple("syscall_opens", ReopenAppend.Run(options.Count, options.Fixed)),
        "memory-churn" => Tuple("syscall_maps", MemoryChurn.Run(options.Count, options.Fixed)),
        "connection-churn" => Tuple("syscall_connects", ConnectionChurn.Run(options.Count, options.Fixed)),
        "blocking-io" => Tuple("blocking_reads", BlockingIo.Run(options.Count, options.Fixed)),
        "busy-poll" => Tuple("syscall_polls", BusyPoll.Run(options.Count, options.Fixed)),
        "drop-folder" => Tuple("folder_listings", DropFolder.Run(options.Count, options.Fixed)),
        _ => Tuple("syscall_stats", MetadataStorm.Run(options.Count, options.Fixed)),
    };
    var elapsed = clock.Elapsed;

    summary.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"sample={SampleName} scenario={options.Scenario} mode={(options.Fixed ? "fixed" : "pathological")} count={options.Count} {outcome.Key}={outcome.Syscalls} result={outcome.Result} loop_ms={elapsed.TotalMilliseconds:F1}"));
    return 0;
}
catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Net.Sockets.SocketException or HttpRequestException)
{
    Console.Error.WriteLine($"{SampleName}: {e.Message}");
    return 1;
}
finally
{
    if (input is not null)
    {
        File.Delete(input);
    }
}

static (string, long, long) Tuple(string key, (long Result, long Syscalls) run) => (key, run.Syscalls, run.Result);
