using System.Text.RegularExpressions;

namespace Advisor.Runtime.Discovery;

/// <summary>
/// Tells whether a process runs .NET, and which version, from the runtime library it has mapped. Works on
/// any process we may read /proc of, also when its diagnostics are disabled.
/// </summary>
public static partial class RuntimeProbe
{
    /// <returns>The runtime version (e.g. 10.0.12), "unknown" for a .NET process whose version is not in
    /// its path (a self-contained app), or null for a process that does not run .NET.</returns>
    public static string? RuntimeVersion(int pid)
    {
        IEnumerable<string> maps;
        try
        {
            maps = File.ReadLines($"/proc/{pid}/maps");
            foreach (var line in maps)
            {
                if (!line.EndsWith("libcoreclr.so", StringComparison.Ordinal))
                {
                    continue;
                }

                var match = SharedFrameworkVersion().Match(line);
                return match.Success ? match.Groups[1].Value : "unknown";
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }

        return null;
    }

    [GeneratedRegex(@"/Microsoft\.NETCore\.App/([0-9][^/]*)/libcoreclr\.so$", RegexOptions.CultureInvariant)]
    private static partial Regex SharedFrameworkVersion();
}
