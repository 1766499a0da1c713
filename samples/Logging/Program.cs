// Logging: a real logging library writing one event per order to a file, with the setting that makes it
// costly (NLog: KeepFileOpen = false, open-close churn; Serilog: buffered: false, one write per event) and its
// fixed twin (--fixed) with the setting that does not. See samples/README.md.
using System.Diagnostics;
using System.Globalization;
using Logging;

const string SampleName = "Logging";

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

long lines;
TimeSpan loopTime;
try
{
    // The output file is replaced, as the other file samples do, so the lines counted are this run's.
    File.Delete(options.LogPath);

    // Configured before the gate: a profiler attached at the gate sees the logging, not the set-up.
    IOrderLog log = options.Library == "nlog"
        ? new NLogOrders(options.LogPath, options.Fixed)
        : new SerilogOrders(options.LogPath, options.Fixed);
    using (log)
    {
        if (options.StartAfter is { } startFile && !StartGate.WaitForFile(startFile, TimeSpan.FromSeconds(60)))
        {
            Console.Error.WriteLine($"{SampleName}: gave up after 60 s waiting for '{startFile}' (--start-after)");
            return 3;
        }

        var clock = Stopwatch.StartNew();
        log.Run(options.Count);
        log.Dispose(); // the final flush is part of the work (Dispose again at the end of the block does nothing)
        loopTime = clock.Elapsed;
    }

    lines = CountLines(options.LogPath);
}
catch (Exception e) when (e is IOException or UnauthorizedAccessException)
{
    Console.Error.WriteLine($"{SampleName}: {e.Message}");
    return 1;
}
finally
{
    if (options.DeleteAtEnd)
    {
        File.Delete(options.LogPath);
    }
}

Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"sample={SampleName} library={options.Library} mode={(options.Fixed ? "fixed" : "pathological")} events={lines} path={options.LogPath} loop_ms={loopTime.TotalMilliseconds:F1}"));
return lines == options.Count ? 0 : 1;

// The events that reached the file: one line each (neither layout has a line break of its own).
static long CountLines(string path)
{
    if (!File.Exists(path))
    {
        return 0; // --count 0: no event, no file
    }

    using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 64 * 1024);
    Span<byte> buffer = stackalloc byte[4096];
    long count = 0;
    for (int read; (read = file.Read(buffer)) > 0;)
    {
        count += buffer[..read].Count((byte)'\n');
    }

    return count;
}
