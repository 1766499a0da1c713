using System.Reflection;
using Advisor.Core.Reporting;

namespace Advisor.Cli.Sessions;

/// <summary>This tool as reports name it: its name and version (without the commit suffix).</summary>
internal static class AdvisorTool
{
    public static ToolInfo Info { get; } = new("dotnet-advisor", Version());

    private static string Version()
    {
        var version = typeof(AdvisorTool).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
        var plus = version.IndexOf('+', StringComparison.Ordinal);
        return plus < 0 ? version : version[..plus];
    }
}
