using System.Globalization;
using System.Text.Json;

namespace Advisor.Cli.Mcp.Tools;

/// <summary><c>profile -p PID --duration Ns</c>: records a running process for a bounded time and reports its findings.</summary>
internal sealed class ProfileTool() : CliTool(
    "profile",
    "Profile a process",
    $"Record the system calls of a running process (and its .NET runtime's events) for a number of seconds, then report "
    + $"the costly patterns found, each with the method that made the calls and a fix (dotnet-advisor profile -p PID "
    + $"--duration Ns --format json). The result is the report's JSON (schemas/report.schema.json) after a summary "
    + $"of the findings. seconds: {DefaultSeconds} by default, {MaxSeconds} at most. The process keeps running.",
    $$"""
    {
      "type": "object",
      "properties": {
        "pid": { "type": "integer", "minimum": 1, "description": "The process id (see the ps tool)." },
        "seconds": { "type": "integer", "minimum": 1, "maximum": {{MaxSeconds}}, "default": {{DefaultSeconds}}, "description": "How long to record." }
      },
      "required": ["pid"],
      "additionalProperties": false
    }
    """)
{
    public const int DefaultSeconds = 10;

    public const int MaxSeconds = 60;

    /// <summary>
    /// Beyond the recording itself: attaching (loading the BPF program, the runtime's sessions), then naming the
    /// stacks and analysing, which on a busy 2-core machine takes tens of seconds for a large recording.
    /// </summary>
    private static readonly TimeSpan Margin = TimeSpan.FromSeconds(90);

    protected override CliCall Call(ToolArguments arguments)
    {
        var pid = arguments.Pid();
        var seconds = arguments.Seconds("seconds", DefaultSeconds, MaxSeconds);
        return new(
            ["profile", "-p", pid.ToString(CultureInfo.InvariantCulture), "--duration", string.Create(CultureInfo.InvariantCulture, $"{seconds}s"), "--format", "json", "-q"],
            TimeSpan.FromSeconds(seconds) + Margin);
    }

    protected override string Summarize(JsonElement json) => ReportSummary.Of(json);
}
