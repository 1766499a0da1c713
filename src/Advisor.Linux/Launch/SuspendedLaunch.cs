using System.Diagnostics;
using Advisor.Core.Failures;
using Advisor.Linux.Native;
using Advisor.Linux.Procfs;

namespace Advisor.Linux.Launch;

/// <summary>
/// The parent side of a suspended launch: starts the trampoline (see <see cref="ExecTrampoline"/>), waits
/// until it has stopped itself, lets the caller arm the sampler, then resumes it.
/// </summary>
public static class SuspendedLaunch
{
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(30);

    /// <param name="trampoline">How to start this tool in trampoline mode (program and leading arguments).</param>
    /// <param name="command">The user's command and arguments.</param>
    /// <param name="arm">Called while the child is stopped; it must not resume the child.</param>
    /// <param name="commandEnvironment">Variables set for the command only (see <see cref="ExecTrampoline.CommandEnvironmentVariable"/>),
    /// given the command's resolved path.</param>
    public static Process Start(
        IReadOnlyList<string> trampoline,
        IReadOnlyList<string> command,
        Action<int> arm,
        Func<string, IReadOnlyDictionary<string, string>>? commandEnvironment = null)
    {
        ArgumentNullException.ThrowIfNull(trampoline);
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(arm);
        var resolved = CommandResolver.Resolve(command[0]);

        var start = new ProcessStartInfo(trampoline[0]) { UseShellExecute = false };
        foreach (var argument in trampoline.Skip(1))
        {
            start.ArgumentList.Add(argument);
        }

        if (commandEnvironment?.Invoke(resolved) is { Count: > 0 } variables)
        {
            start.Environment[ExecTrampoline.CommandEnvironmentVariable] =
                string.Join('\n', variables.Select(p => $"{p.Key}={p.Value}"));
        }

        start.ArgumentList.Add(resolved);
        foreach (var argument in command.Skip(1))
        {
            start.ArgumentList.Add(argument);
        }

        var child = Process.Start(start)
            ?? throw new AdvisorException(FailureKind.Target, $"could not start '{command[0]}'");
        try
        {
            WaitUntilStopped(child);
            arm(child.Id);
            if (LibC.Kill(child.Id, LibC.SigCont) != 0)
            {
                throw new AdvisorException(FailureKind.Target, $"'{command[0]}' exited before it could be traced");
            }

            return child;
        }
        catch
        {
            // Never leave a stopped child behind: it would hang whoever waits for it.
            _ = LibC.Kill(child.Id, LibC.SigKill);
            child.Dispose();
            throw;
        }
    }

    private static void WaitUntilStopped(Process child)
    {
        var clock = Stopwatch.StartNew();
        while (ProcTasks.State(child.Id) != 'T')
        {
            if (child.HasExited)
            {
                throw new AdvisorException(FailureKind.Target, $"the launcher exited with code {child.ExitCode} before the command started");
            }

            if (clock.Elapsed > StopTimeout)
            {
                throw new AdvisorException(FailureKind.Internal, "the launcher did not reach its stop point within 30 s");
            }

            Thread.Sleep(1);
        }
    }
}
