using System.Globalization;
using System.Runtime.InteropServices;
using Advisor.Core.Failures;
using Advisor.Linux.Native;

namespace Advisor.Linux.Procfs;

/// <summary>Threads and liveness of a process, read from /proc.</summary>
public static class ProcTasks
{
    // The same number on x86_64 and arm64 (the generic Linux signal numbering).
    private const int Sigcont = 18;
    private const int Sigterm = 15;

    public static bool ProcessExists(int pid) => Directory.Exists($"/proc/{pid}");

    /// <summary>What every backend checks first: the process is there (exit 3 when it is not).</summary>
    /// <exception cref="AdvisorException">No such process.</exception>
    public static void RequireProcess(int pid)
    {
        if (!ProcessExists(pid))
        {
            throw new AdvisorException(FailureKind.Target, $"no process with id {pid}");
        }
    }

    /// <summary>The process's thread ids; empty when the process is gone.</summary>
    public static IReadOnlyList<int> ThreadIds(int pid)
    {
        try
        {
            var tids = new List<int>();
            foreach (var dir in Directory.EnumerateDirectories($"/proc/{pid}/task"))
            {
                if (int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var tid))
                {
                    tids.Add(tid);
                }
            }

            return tids;
        }
        catch (DirectoryNotFoundException)
        {
            return [];
        }
        catch (IOException)
        {
            return [];
        }
    }

    /// <summary>The pid of the process tracing this one (a debugger, strace), 0 when none, null when unreadable.</summary>
    public static int? TracerOf(int pid)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith("TracerPid:", StringComparison.Ordinal)
                    && int.TryParse(line.AsSpan("TracerPid:".Length).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var tracer))
                {
                    return tracer;
                }
            }

            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>
    /// The one-letter scheduler state from /proc/PID/stat (R, S, D, T, t, Z, X), or null when gone.
    /// </summary>
    public static char? State(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            // The command name in parentheses may itself contain spaces and parentheses: the state follows
            // the last ')'.
            var close = stat.LastIndexOf(')');
            return close >= 0 && close + 2 < stat.Length ? stat[close + 2] : null;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Sends SIGCONT: resumes a process something left stopped.</summary>
    public static void Continue(int pid) => _ = LibC.Kill(pid, Sigcont);

    /// <summary>
    /// Sends SIGTERM: asks a child of ours (a recording) to end as Ctrl+C would, writing what it saw. Not SIGINT: a
    /// tool started in the background by a shell script inherits SIGINT ignored, and so would its child.
    /// </summary>
    public static void Terminate(int pid) => _ = LibC.Kill(pid, Sigterm);

    /// <summary>
    /// Completes when the process is gone or a zombie (it is not our child, so we cannot wait(2) for it), or when
    /// <paramref name="stop"/> is cancelled. A pidfd says so without waking before; where none can be had (a
    /// kernel before 5.3, a seccomp policy), /proc is read ten times a second.
    /// </summary>
    public static Task WaitForExitAsync(int pid, CancellationToken stop)
    {
        var pidfd = PidFd.Open(pid);
        if (pidfd >= 0)
        {
            return PidFd.WaitForExitAsync(pidfd, stop);
        }

        return Marshal.GetLastPInvokeError() == LibC.Esrch ? Task.CompletedTask : PollForExitAsync(pid, stop);
    }

    private static async Task PollForExitAsync(int pid, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested && State(pid) is { } state && state is not ('Z' or 'X'))
        {
            try
            {
                await Task.Delay(100, stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
