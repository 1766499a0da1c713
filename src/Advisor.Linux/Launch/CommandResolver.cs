using Advisor.Core.Failures;

namespace Advisor.Linux.Launch;

/// <summary>Finds a command the way a shell does (a path as given, otherwise the first match on PATH).</summary>
public static class CommandResolver
{
    public static string Resolve(string command)
    {
        ArgumentException.ThrowIfNullOrEmpty(command);
        if (command.Contains('/', StringComparison.Ordinal))
        {
            return IsExecutable(command)
                ? Path.GetFullPath(command)
                : throw new AdvisorException(FailureKind.Target, $"cannot run '{command}': no such executable file");
        }

        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "/usr/local/bin:/usr/bin:/bin").Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, command);
            if (IsExecutable(candidate))
            {
                return candidate;
            }
        }

        throw new AdvisorException(FailureKind.Target, $"command not found: '{command}' (not on PATH)");
    }

    private static bool IsExecutable(string path) =>
        File.Exists(path)
        && (File.GetUnixFileMode(path) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0;
}
