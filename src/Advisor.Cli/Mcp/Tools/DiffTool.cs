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

    /// <summary>
    /// How many findings are fixed, new or still there, then each one's status and message: the run that has it (for a
    /// fixed finding the before run, else the after run) gives the message, as in schemas/diff.schema.json.
    /// </summary>
    internal static string Summary(JsonElement diff)
    {
        var lines = diff.GetProperty("findings").EnumerateArray().Select(f =>
        {
            var status = f.GetProperty("status").GetString()!;
            var side = f.TryGetProperty(status == "fixed" ? "before" : "after", out var run) ? run : f.GetProperty("before");
            return (Status: status, Line: $"{f.GetProperty("ruleId").GetString()} {f.GetProperty("ruleName").GetString()}: {side.GetProperty("message").GetString()}");
        }).ToList();
        if (lines.Count == 0)
        {
            return "no findings in either run";
        }

        var text = new StringBuilder(string.Join(", ", lines.GroupBy(l => l.Status).Select(g => string.Create(CultureInfo.InvariantCulture, $"{g.Count()} {g.Key}"))));
        foreach (var (status, line) in lines)
        {
            text.Append(CultureInfo.InvariantCulture, $"\n{status.ToUpperInvariant()} {line}");
        }

        return text.ToString();
    }

    protected override string Summarize(JsonElement json) => Summary(json);
}
