using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Advisor.Cli.Mcp.Tools;

/// <summary><c>rules list</c>: the rule catalogue in force (built-in, custom, configured).</summary>
internal sealed class RulesListTool() : CliTool(
    "rules_list",
    "List the rules",
    "List the rules in force (built-in, plus custom rules and severities the server's advisor.yaml configures): id, name, "
    + "title, severity, category (dotnet-advisor rules list --format json). rules_explain tells one in full.",
    """{ "type": "object", "properties": {}, "additionalProperties": false }""")
{
    /// <summary>Loading and validating the rule files.</summary>
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    protected override CliCall Call(ToolArguments arguments) => new(["rules", "list", "--format", "json"], Bound);

    protected override string Summarize(JsonElement json)
    {
        var rules = json.GetProperty("rules");
        var text = new StringBuilder(string.Create(CultureInfo.InvariantCulture, $"{rules.GetArrayLength()} rules"));
        foreach (var rule in rules.EnumerateArray())
        {
            text.Append(CultureInfo.InvariantCulture,
                $"\n{rule.GetProperty("id").GetString()} {rule.GetProperty("name").GetString()} ({rule.GetProperty("severity").GetString()}): {rule.GetProperty("title").GetString()}");
        }

        return text.ToString();
    }
}
