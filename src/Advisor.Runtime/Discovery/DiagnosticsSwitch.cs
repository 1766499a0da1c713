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

    public static IReadOnlyDictionary<string, string> CurrentEnvironment() =>
        Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>()
            .ToDictionary(e => (string)e.Key, e => (string?)e.Value ?? string.Empty, StringComparer.Ordinal);
}
