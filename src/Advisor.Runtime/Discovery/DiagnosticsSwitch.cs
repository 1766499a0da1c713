namespace Advisor.Runtime.Discovery;

/// <summary>
/// Whether a process runs with its diagnostic port turned off (<c>DOTNET_EnableDiagnostics=0</c>, or the
/// IPC-only switch of .NET 8+), which is why no runtime session can reach it.
/// </summary>
public static class DiagnosticsSwitch
{
    private static readonly string[] Names =
    [
        "DOTNET_EnableDiagnostics", "COMPlus_EnableDiagnostics", "DOTNET_EnableDiagnostics_IPC", "COMPlus_EnableDiagnostics_IPC",
    ];

    /// <returns>The setting that disables it (e.g. <c>DOTNET_EnableDiagnostics=0</c>), or null.</returns>
    public static string? DisabledBy(IReadOnlyDictionary<string, string> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        foreach (var name in Names)
        {
            if (environment.TryGetValue(name, out var value) && value.Trim() == "0")
            {
                return $"{name}=0";
            }
        }

        return null;
    }

    /// <summary>The environment a process started with (/proc/PID/environ); empty if unreadable.</summary>
    public static IReadOnlyDictionary<string, string> EnvironmentOf(int pid)
    {
        try
        {
            return Parse(File.ReadAllText($"/proc/{pid}/environ"));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new Dictionary<string, string>();
        }
    }

    public static IReadOnlyDictionary<string, string> CurrentEnvironment() =>
        Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>()
            .ToDictionary(e => (string)e.Key, e => (string?)e.Value ?? string.Empty, StringComparer.Ordinal);

    private static Dictionary<string, string> Parse(string environ)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in environ.Split('\0', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = entry.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0)
            {
                result[entry[..equals]] = entry[(equals + 1)..];
            }
        }

        return result;
    }
}
