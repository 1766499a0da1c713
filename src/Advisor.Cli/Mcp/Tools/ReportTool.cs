using System.Text.Json;

namespace Advisor.Cli.Mcp.Tools;

/// <summary><c>report FILE</c>: analyses a saved recording (.advisor) or an strace log again with today's rules.</summary>
internal sealed class ReportTool() : CliTool(
    "report",
    "Analyse a recording",
    "Analyse a saved recording (a file written with dotnet-advisor profile -o NAME.advisor) or a log of strace -f -tt -T "
    + "with today's rules, and report the findings (dotnet-advisor report FILE --format json). The result is the "
    + "report's JSON (schemas/report.schema.json) after a summary of the findings.",
    """
    {
      "type": "object",
      "properties": {
        "file": { "type": "string", "description": "Path of the .advisor recording or strace log, absolute or relative to the server's working directory." }
      },
      "required": ["file"],
      "additionalProperties": false
    }
    """)
{
    /// <summary>Replaying every raw event of a long recording through the aggregation and rules again.</summary>
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(120);

    protected override CliCall Call(ToolArguments arguments) => new(["report", arguments.FilePath("file"), "--format", "json", "-q"], Bound);

    protected override string Summarize(JsonElement json) => ReportSummary.Of(json);
}
