// Hang: puts itself in one stuck state on purpose — a deadlock, a starved thread pool, a socket read with
// no answer, a statement waiting in PostgreSQL for a row lock, a file lock held by another process — or in a
// busy or idle state that is not a hang, and stays there until released, so `dotnet-advisor hang` can be
// tested on it and the test can check the process then finishes its work. See samples/README.md.
using System.Globalization;
using Hang;

const string SampleName = "Hang";

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

if (options.HoldLock is { } lockPath)
{
    return FileLock.Hold(lockPath, options.ReleaseAfter, options.Timeout);
}

using IHangScenario scenario = options.Scenario switch
{
    "deadlock" => new Deadlock(),
    "starvation" => new Starvation(),
    "aspnet-starvation" => new AspNetStarvation(),
    "socket-read" => new SocketRead(),
    "db-lock" => new DbLock(options.Server.Host, options.Server.Port),
    "flock" => new FileLock(options.ReleaseAfter, options.Timeout),
    "busy" => new Busy(),
    _ => new Idle(),
};

try
{
    if (options.After > TimeSpan.Zero)
    {
        // Up and running normally first; the scenario's threads do not exist yet.
        Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"running pid={Environment.ProcessId} scenario={options.Scenario} after={options.After.TotalSeconds}"));
        Console.Out.Flush();
        Thread.Sleep(options.After);
    }
    else if (options.StartAfter is { } startFile)
    {
        Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"running pid={Environment.ProcessId} scenario={options.Scenario} start-after={startFile}"));
        Console.Out.Flush();
        if (!StartGate.WaitForFile(startFile, options.Timeout))
        {
            Console.Error.WriteLine($"{SampleName}: gave up after {options.Timeout.TotalSeconds} s waiting for '{startFile}' (--start-after)");
            return 3;
        }
    }

    scenario.Start();
    Console.Out.WriteLine($"ready pid={Environment.ProcessId} scenario={options.Scenario}{scenario.ReadyDetail}");
    Console.Out.Flush();

    bool released = options.ReleaseAfter is { } file ? StartGate.WaitForFile(file, options.Timeout) : WaitOut(options.Timeout);
    scenario.Release();
    var (completed, result) = scenario.Finish(TimeSpan.FromSeconds(30));
    Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"sample={SampleName} scenario={options.Scenario} released={(released ? "true" : "false")} completed={completed} result={result}"));
    return released && completed >= 0 ? 0 : 4;
}
catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or Npgsql.NpgsqlException)
{
    Console.Error.WriteLine($"{SampleName}: {e.Message}");
    return 1;
}

// Without a release file the hang lasts until the timeout: it never outlives it.
static bool WaitOut(TimeSpan timeout)
{
    Thread.Sleep(timeout);
    return false;
}
