using System.Globalization;
using System.Text;
using System.Text.Json;
using Advisor.Core.Failures;

namespace Advisor.Cli.Mcp.Tools;

/// <summary><c>rules explain ID</c>: one rule, what it flags, when, its thresholds and its fixes.</summary>
internal sealed class RulesExplainTool() : CliTool(
    "rules_explain",
    "Explain a rule",
    "Explain one rule: what it flags, the condition and thresholds, the message, and each fix with a C# before/after "
    + "(dotnet-advisor rules explain ID --format json).",
    """
    {
      "type": "object",
      "properties": {
        "id": { "type": "string", "description": "The rule's id (ADV002) or name (unbuffered-writes), as findings and rules_list give them." }
      },
      "required": ["id"],
      "additionalProperties": false
    }
    """)
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    protected override CliCall Call(ToolArguments arguments)
    {
        var id = arguments.Text("id");
        if (id.StartsWith('-'))
        {
            // It would be read as an option of the command, not as the rule to explain.
            throw new AdvisorException(FailureKind.Usage, $"no rule '{id}' (see dotnet-advisor rules list)");
        }

        return new(["rules", "explain", id, "--format", "json"], Bound);
    }

    protected override string Summarize(JsonElement json)
    {
        var text = new StringBuilder(string.Create(CultureInfo.InvariantCulture,
            $"{json.GetProperty("id").GetString()} {json.GetProperty("name").GetString()} ({json.GetProperty("severity").GetString()}, {json.GetProperty("category").GetString()}): {json.GetProperty("title").GetString()}"));
        text.Append(CultureInfo.InvariantCulture, $"\n{json.GetProperty("description").GetString()}");
        if (json.TryGetProperty("when", out var when))
        {
            text.Append(CultureInfo.InvariantCulture, $"\nfires when: {when.GetString()}");
        }

        foreach (var advice in json.GetProperty("advice").EnumerateArray())
        {
            var conditions = advice.GetProperty("when").EnumerateArray().Select(c => c.GetString()).ToList();
            text.Append(CultureInfo.InvariantCulture, $"\nfix{(conditions.Count > 0 ? " (when " + string.Join(" and ", conditions) + ")" : "")}: {advice.GetProperty("text").GetString()}");
        }

        return text.ToString();
    }
}
