using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Advisor.Cli.Mcp.Tools;

/// <summary><c>diff BEFORE AFTER</c>: whether a fix worked — each finding fixed, new or still there, as rates.</summary>
internal sealed class DiffTool() : CliTool(
    "diff",
    "Compare two recordings",
    "Compare two recordings (.advisor files, analysed again with today's rules) or two JSON reports of the same work, "
    + "before and after a change: each finding fixed, new or still there with the change in its rates and saving "
    + "(dotnet-advisor diff BEFORE AFTER --format json). The result is the diff's JSON (schemas/) after a summary.",
    """
    {
      "type": "object",
      "properties": {
        "before": { "type": "string", "description": "The recording or JSON report before the change." },
        "after": { "type": "string", "description": "The recording or JSON report after the change." }
      },
      "required": ["before", "after"],
      "additionalProperties": false
    }
    """)
{
    /// <summary>Two recordings replayed and analysed, one after the other.</summary>
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(180);

    protected override CliCall Call(ToolArguments arguments) =>
        new(["diff", arguments.FilePath("before"), arguments.FilePath("after"), "--format", "json"], Bound);

    /// <summary>Each finding's status and message, and how many of each status there are.</summary>
    protected override string Summarize(JsonElement json)
    {
        if (!json.TryGetProperty("findings", out var findings) || findings.ValueKind != JsonValueKind.Array)
        {
            return "no findings in the diff";
        }

        var lines = findings.EnumerateArray().Select(f => (Status: Field(f, "status") ?? "?", Line: $"{Field(f, "ruleId")} {Field(f, "title")}: {Field(f, "message")}")).ToList();
        var text = new StringBuilder(string.Join(", ", lines.GroupBy(l => l.Status).Select(g => string.Create(CultureInfo.InvariantCulture, $"{g.Count()} {g.Key}"))));
        foreach (var (status, line) in lines)
        {
            text.Append(CultureInfo.InvariantCulture, $"\n{status.ToUpperInvariant()} {line}");
        }

        return lines.Count == 0 ? "no findings in either run" : text.ToString();
    }

    private static string? Field(JsonElement finding, string name) =>
        finding.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
