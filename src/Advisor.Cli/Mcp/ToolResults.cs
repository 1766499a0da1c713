using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Advisor.Cli.CommandLine;
using Advisor.Core.Failures;
using ModelContextProtocol.Protocol;

namespace Advisor.Cli.Mcp;

/// <summary>
/// What a tool call answers: on success the command's JSON (as structured content, and as text for clients that read
/// only text) after a short summary; on failure an error result whose text is the command's own one-line message,
/// with its exit code beside it in the structured content.
/// </summary>
internal static class ToolResults
{
    private const string Prefix = "dotnet-advisor: ";

    public static CallToolResult Success(string summary, JsonElement json) => new()
    {
        Content = [Text(summary), Text(json.GetRawText())],
        StructuredContent = json,
    };

    public static CallToolResult Failure(string line, int exitCode) => new()
    {
        IsError = true,
        Content = [Text(line)],
        StructuredContent = JsonDocument.Parse(new JsonObject { ["error"] = line, ["exitCode"] = exitCode }.ToJsonString()).RootElement.Clone(),
    };

    /// <summary>An argument refused before anything ran: the line the command line would print for a bad option.</summary>
    public static CallToolResult Failure(AdvisorException refused) =>
        Failure(Prefix + refused.Message, (int)ExitCodes.Of(refused.Kind));

    /// <summary>
    /// The result of a finished command. Its report counts whenever it wrote one: exit 0, exit 1 (a gate, which the
    /// report itself explains), a command <c>run</c> launched that failed, or a recording stopped at its bound.
    /// </summary>
    /// <param name="summarize">The tool's short text for its JSON.</param>
    public static CallToolResult From(CliCall call, CliOutcome outcome, Func<JsonElement, string> summarize)
    {
        var produced = call.ReportFile is { } file ? (File.Exists(file) ? File.ReadAllText(file) : null) : outcome.Stdout;
        var reported = call.ReportFile is not null || outcome.ExitCode is (int)ReturnCode.Ok or (int)ReturnCode.GateFailed;
        if (reported && JsonObjectIn(produced) is { } json)
        {
            var summary = summarize(json);
            if (outcome.ExitCode == (int)ReturnCode.GateFailed && call.ReportFile is null)
            {
                summary += "\nexit code 1: a gate failed";
            }

            if (outcome.Stopped)
            {
                summary += string.Create(CultureInfo.InvariantCulture, $"\nstopped at the tool's bound of {call.Bound.TotalSeconds:0} s: the report covers what was seen until then");
            }

            return Success(summary, json);
        }

        // A command that ended "well" without its JSON, or was killed, failed in a way it could not say itself.
        var failedQuietly = outcome.Stopped || outcome.ExitCode is (int)ReturnCode.Ok or (int)ReturnCode.GateFailed or < 0 or > 127;
        return Failure(ErrorLine(call, outcome), failedQuietly ? (int)ReturnCode.InternalError : outcome.ExitCode);
    }

    /// <summary>
    /// The command's own error lines (one per problem, each starting "dotnet-advisor: "), or when it printed none
    /// (killed at its bound, crashed), a line saying what happened.
    /// </summary>
    private static string ErrorLine(CliCall call, CliOutcome outcome)
    {
        var lines = outcome.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var own = lines.Where(l => l.StartsWith(Prefix, StringComparison.Ordinal)).ToList();
        if (own.Count > 0)
        {
            return string.Join('\n', own);
        }

        var verb = call.Arguments[0];
        return outcome.Stopped
            ? string.Create(CultureInfo.InvariantCulture, $"{Prefix}{verb} did not finish within its bound of {call.Bound.TotalSeconds:0} s and was stopped")
            : string.Create(CultureInfo.InvariantCulture, $"{Prefix}{verb} exited with code {outcome.ExitCode} without a JSON report{(lines.Length > 0 ? ": " + lines[^1] : "")}");
    }

    private static JsonElement? JsonObjectIn(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(text);
            return document.RootElement.ValueKind == JsonValueKind.Object ? document.RootElement.Clone() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static TextContentBlock Text(string text) => new() { Text = text };
}
