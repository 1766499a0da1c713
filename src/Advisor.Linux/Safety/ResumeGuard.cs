using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Advisor.Linux.Native;

namespace Advisor.Linux.Safety;

/// <summary>
/// A small process of its own that outlives the tool while the target is paused under ptrace: ClrMD's pause
/// attaches with PTRACE_ATTACH, whose SIGSTOP can leave the target stopped if the tool is killed (SIGKILL)
/// mid-pause and the kernel detaches it. The guard watches the tool's pid and, should the tool die first,
/// sends the target SIGCONT (harmless to a running process).
/// </summary>
public sealed partial class ResumeGuard : IDisposable
{
    private const string Ready = "watching";
    private static readonly TimeSpan StartLimit = TimeSpan.FromSeconds(10);

    private readonly Process _guard;

    private ResumeGuard(Process guard) => _guard = guard;

    /// <summary>Starts a guard for the target and returns once it watches; null when it could not start.</summary>
    /// <param name="command">How to start this tool in guard mode (program, arguments, verb).</param>
    public static ResumeGuard? Start(IReadOnlyList<string> command, int target)
    {
        ArgumentNullException.ThrowIfNull(command);
        var start = new ProcessStartInfo(command[0]) { UseShellExecute = false, RedirectStandardOutput = true };
        foreach (var argument in command.Skip(1))
        {
            start.ArgumentList.Add(argument);
        }

        start.ArgumentList.Add(Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        start.ArgumentList.Add(target.ToString(CultureInfo.InvariantCulture));
        try
        {
            var guard = Process.Start(start)!;
            var line = guard.StandardOutput.ReadLineAsync();
            if (line.Wait(StartLimit) && line.Result == Ready)
            {
                return new ResumeGuard(guard);
            }

            Stop(guard);
            return null;
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or IOException or InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>The guard's side: waits for the tool to exit, then continues the target.</summary>
    /// <param name="arguments">The tool's pid and the target's pid.</param>
    public static int Run(IReadOnlyList<string> arguments)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        if (arguments.Count != 2 || !int.TryParse(arguments[0], CultureInfo.InvariantCulture, out var tool)
            || !int.TryParse(arguments[1], CultureInfo.InvariantCulture, out var target))
        {
            return 2;
        }

        // Out of the tool's process group and session: a signal to the whole group (Ctrl+C, a supervisor's
        // kill) must not take the guard with the tool.
        _ = SetSid();
        var pidfd = PidFd.Open(tool);
        Console.Out.WriteLine(Ready);
        Console.Out.Flush();
        if (pidfd >= 0)
        {
            PidFd.WaitReadable([pidfd]);
        }

        // The tool is gone (or was already, if the pidfd could not be had): never leave the target stopped.
        _ = LibC.Kill(target, LibC.SigCont);
        return 0;
    }

    /// <summary>The tool got through the pause: the guard is no longer needed, and does nothing.</summary>
    public void Dispose() => Stop(_guard);

    private static void Stop(Process guard)
    {
        try
        {
            _ = LibC.Kill(guard.Id, LibC.SigKill);
            guard.WaitForExit();
        }
        finally
        {
            guard.Dispose();
        }
    }

    [LibraryImport("libc", EntryPoint = "setsid")]
    private static partial int SetSid();
}
