using System.Globalization;
using System.Text.Json;

namespace Advisor.Cli.Mcp.Tools;

/// <summary>
/// <c>run -- CMD ARGS</c>: launches a command traced from its first instruction. Listed only when the server was started
/// with <c>--allow-run</c>: it is the one tool that starts a program an assistant chose.
/// </summary>
internal sealed class RunTool() : CliTool(
    "run",
    "Run a command under the profiler",
    "Launch a command (an argv array, run without a shell, in the server's working directory, with an empty stdin) traced "
    + "from its first instruction until it exits or the seconds pass, then report the costly patterns found "
    + "(dotnet-advisor run --duration Ns -- CMD ARGS). The result is the report's JSON (schemas/report.schema.json, with "
    + "target.exitCode when the command exited) after a summary. A command still running after the seconds is left "
    + $"running, as run leaves it (a note gives its pid). seconds: {DefaultSeconds} by default, {MaxSeconds} at most.",
    $$"""
    {
      "type": "object",
      "properties": {
        "command": { "type": "array", "items": { "type": "string" }, "minItems": 1, "description": "The program and its arguments, one element each, e.g. [\"dotnet\", \"test\"]." },
        "seconds": { "type": "integer", "minimum": 1, "maximum": {{MaxSeconds}}, "default": {{DefaultSeconds}}, "description": "Stop tracing after this long." }
      },
      "required": ["command"],
      "additionalProperties": false
    }
    """,
    readOnly: false)
{
    public const int DefaultSeconds = 60;

    /// <summary>Long enough for a test suite under the tracer, short enough for an assistant to wait for.</summary>
    public const int MaxSeconds = 300;

    /// <summary>Starting the command suspended, then naming stacks and analysing once it is done (as profile's).</summary>
    private static readonly TimeSpan Margin = TimeSpan.FromSeconds(90);

    protected override CliCall Call(ToolArguments arguments)
    {
        var command = arguments.Strings("command");
        var seconds = arguments.Seconds("seconds", DefaultSeconds, MaxSeconds);

        // The launched command's output passes through the tool's stdout, so the report goes to a file of its own.
        var report = Path.Combine(Directory.CreateTempSubdirectory("advisor-mcp-run-").FullName, "report.json");
        return new(
            ["run", "--duration", string.Create(CultureInfo.InvariantCulture, $"{seconds}s"), "-q", "-o", report, "--", .. command],
            TimeSpan.FromSeconds(seconds) + Margin)
        { ReportFile = report };
    }

    protected override string Summarize(JsonElement json) => ReportSummary.Of(json);
}
