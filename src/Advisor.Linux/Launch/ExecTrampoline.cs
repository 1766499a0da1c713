using System.Runtime.InteropServices;
using Advisor.Linux.Native;

namespace Advisor.Linux.Launch;

/// <summary>
/// The child side of a suspended launch: the tool starts itself in this mode, stops, and once the parent has
/// armed the sampler (events enabled on exec) and resumed it, replaces itself with the user's command. The
/// command thus keeps our pid, our stdio and our environment, and is traced from its first instruction.
/// </summary>
public static unsafe class ExecTrampoline
{
    /// <summary>Exit code when the command cannot be executed, as shells use.</summary>
    public const int CannotExecute = 127;

    /// <summary>
    /// Variables (<c>NAME=VALUE</c> lines) that only the command must see, not this trampoline: a diagnostic
    /// port setting would make the trampoline's own runtime wait for a connection at start-up.
    /// </summary>
    public const string CommandEnvironmentVariable = "ADVISOR_EXEC_ENV";

    public static int Run(IReadOnlyList<string> command)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (command.Count == 0)
        {
            return CannotExecute;
        }

        // Allocate before stopping: after SIGCONT the only thing left to do is execvp.
        var argv = new nint[command.Count + 1];
        for (var i = 0; i < command.Count; i++)
        {
            argv[i] = Marshal.StringToCoTaskMemUTF8(command[i]);
        }

        ApplyCommandEnvironment();
        _ = LibC.Kill(Environment.ProcessId, LibC.SigStop);
        fixed (nint* args = argv)
        {
            _ = LibC.Execvp(argv[0], args);
        }

        var errno = Marshal.GetLastPInvokeError();
        Console.Error.WriteLine($"dotnet-advisor: cannot run '{command[0]}': {LibC.LastErrorMessage(errno)}");
        return CannotExecute;
    }

    private static void ApplyCommandEnvironment()
    {
        var settings = Environment.GetEnvironmentVariable(CommandEnvironmentVariable);
        _ = LibC.Unsetenv(CommandEnvironmentVariable);
        foreach (var line in (settings ?? string.Empty).Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = line.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0)
            {
                _ = LibC.Setenv(line[..equals], line[(equals + 1)..], overwrite: 1);
            }
        }
    }
}
