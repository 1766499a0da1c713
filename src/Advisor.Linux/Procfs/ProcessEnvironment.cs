namespace Advisor.Linux.Procfs;

/// <summary>The environment a process started with (/proc/PID/environ: as of its last exec).</summary>
public static class ProcessEnvironment
{
    /// <returns>The variables, or an empty map when the process is gone or unreadable.</returns>
    public static IReadOnlyDictionary<string, string> Read(int pid)
    {
        string environ;
        try
        {
            environ = File.ReadAllText($"/proc/{pid}/environ");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new Dictionary<string, string>();
        }

        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in environ.Split('\0', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = entry.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0)
            {
                variables[entry[..equals]] = entry[(equals + 1)..];
            }
        }

        return variables;
    }
}
