using System.Globalization;
using System.Text.Json;

namespace Advisor.Cli.Mcp.Tools;

/// <summary><c>hang -p PID</c>: one-shot triage of a stuck process, with its verdict and next step.</summary>
internal sealed class HangTool() : CliTool(
    "hang",
    "Triage a hung process",
    "Say why a process is stuck or stalled: which threads are blocked in which system call, for how long, on which managed "
    + "stack, and the verdict (deadlock, threadpool-starvation, blocked-on-io, busy or idle) with the next step "
    + "(dotnet-advisor hang -p PID --format json). The result is the report's JSON with its hang object "
    + "(schemas/report.schema.json) after the verdict. Takes a few seconds; the process keeps running.",
    """
    {
      "type": "object",
      "properties": {
        "pid": { "type": "integer", "minimum": 1, "description": "The process id (see the ps tool)." }
      },
      "required": ["pid"],
      "additionalProperties": false
    }
    """)
{
    /// <summary>The triage answers within 10 s on a process whose every thread is blocked (DESIGN.md §6); this leaves room for a loaded machine.</summary>
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    protected override CliCall Call(ToolArguments arguments) =>
        new(["hang", "-p", arguments.Pid().ToString(CultureInfo.InvariantCulture), "--format", "json", "-q"], Bound);

    protected override string Summarize(JsonElement json) => ReportSummary.Of(json);
}
