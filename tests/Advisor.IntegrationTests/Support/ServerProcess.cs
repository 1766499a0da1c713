using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Advisor.IntegrationTests.Support;

/// <summary>
/// A server a fixture started (PostgreSQL, Redis): its output drained (a full pipe would stall it), stopped by
/// its pid with the signal it takes as "shut down now", killed if it has not gone within the grace time.
/// </summary>
internal sealed partial class ServerProcess : IDisposable
{
    private const int SigInt = 2;
    private const int SigTerm = 15;

    private readonly Process _process;
    private readonly Task<string> _stdout;
    private readonly Task<string> _stderr;
    private readonly int _stopSignal;

    private ServerProcess(Process process, int stopSignal)
    {
        _process = process;
        _stopSignal = stopSignal;
        _stdout = process.StandardOutput.ReadToEndAsync();
        _stderr = process.StandardError.ReadToEndAsync();
    }

    public bool HasExited => _process.HasExited;

    /// <summary>What it said so far (complete once it has exited), for a failure's message.</summary>
    public string Output =>
        _process.HasExited && Task.WaitAll([_stdout, _stderr], TimeSpan.FromSeconds(5)) ? _stdout.Result + _stderr.Result : "(output not complete)";

    /// <param name="stopWithInterrupt">SIGINT to stop (PostgreSQL's fast shutdown) rather than SIGTERM.</param>
    public static ServerProcess Start(string program, IEnumerable<string> arguments, string workingDirectory, bool stopWithInterrupt) =>
        new(ProcessRunner.Start(program, arguments, workingDirectory), stopWithInterrupt ? SigInt : SigTerm);

    /// <summary>Polls <paramref name="ready"/> every 100 ms for at most 30 s; fails when the server exits or stays unready.</summary>
    public void WaitUntil(Func<bool> ready, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!ready())
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"{what} exited (code {_process.ExitCode}) before it was ready:\n{Output}");
            }

            if (clock.Elapsed > TimeSpan.FromSeconds(30))
            {
                throw new TimeoutException($"{what} was not ready within 30 s");
            }

            Thread.Sleep(100);
        }
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _ = Kill(_process.Id, _stopSignal);
            if (!_process.WaitForExit(TimeSpan.FromSeconds(15)))
            {
                _process.Kill(entireProcessTree: true);
            }
        }

        _process.WaitForExit();
        _process.Dispose();
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
