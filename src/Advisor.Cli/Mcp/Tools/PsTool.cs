using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Advisor.Cli.Mcp.Tools;

/// <summary><c>ps</c>: the .NET processes the server's user can profile.</summary>
internal sealed class PsTool() : CliTool(
    "ps",
    "List .NET processes",
    "List the .NET processes this server's user can profile or triage: pid, name, app name, runtime version, command line "
    + "(dotnet-advisor ps --format json). Use a pid from here with profile or hang.",
    """{ "type": "object", "properties": {}, "additionalProperties": false }""")
{
    /// <summary>Reading /proc and probing each process's diagnostic socket: a few seconds on a loaded machine.</summary>
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    protected override CliCall Call(ToolArguments arguments) => new(["ps", "--format", "json"], Bound);

    protected override string Summarize(JsonElement json)
    {
        var processes = json.GetProperty("processes");
        var text = new StringBuilder(string.Create(CultureInfo.InvariantCulture, $"{processes.GetArrayLength()} .NET processes"));
        foreach (var process in processes.EnumerateArray())
        {
            var runtime = process.TryGetProperty("runtimeVersion", out var version) ? $" (.NET {version.GetString()})" : "";
            text.Append(CultureInfo.InvariantCulture,
                $"\npid {process.GetProperty("pid").GetInt32()} {process.GetProperty("appName").GetString()}{runtime}: {process.GetProperty("commandLine").GetString()}");
        }

        return text.ToString();
    }
}
