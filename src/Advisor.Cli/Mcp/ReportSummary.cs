using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Advisor.Cli.Mcp;

/// <summary>
/// The few lines an assistant reads first beside a report's JSON (schemas/report.schema.json): what was observed,
/// the hang verdict and next step for a triage, the notes, and each finding's one-line message.
/// </summary>
internal static class ReportSummary
{
    public static string Of(JsonElement report)
    {
        var text = new StringBuilder();
        var target = report.GetProperty("target");
        var session = report.GetProperty("session");
        text.Append(CultureInfo.InvariantCulture, $"pid {target.GetProperty("pid").GetInt32()} {target.GetProperty("name").GetString()}");
        if (target.TryGetProperty("runtimeVersion", out var runtime) && runtime.ValueKind == JsonValueKind.String)
        {
            text.Append(CultureInfo.InvariantCulture, $" (.NET {runtime.GetString()})");
        }

        text.Append(CultureInfo.InvariantCulture,
            $" · {session.GetProperty("backend").GetString()} · {session.GetProperty("durationSeconds").GetDouble():0.0} s · {session.GetProperty("eventsTotal").GetInt64():N0} syscalls · {session.GetProperty("lostEvents").GetInt64():N0} lost\n");
        if (target.TryGetProperty("exitCode", out var exit))
        {
            text.Append(CultureInfo.InvariantCulture, $"command exited with code {exit.GetInt32()}\n");
        }

        if (report.TryGetProperty("hang", out var hang))
        {
            text.Append(CultureInfo.InvariantCulture, $"verdict: {hang.GetProperty("verdict").GetString()} — {hang.GetProperty("summary").GetString()}\n");
            text.Append(CultureInfo.InvariantCulture, $"next step: {hang.GetProperty("nextStep").GetString()}\n");
        }

        foreach (var note in session.GetProperty("notes").EnumerateArray())
        {
            text.Append(CultureInfo.InvariantCulture, $"note: {note.GetString()}\n");
        }

        var findings = report.GetProperty("findings");
        if (findings.GetArrayLength() == 0)
        {
            text.Append("no findings\n");
        }

        foreach (var finding in findings.EnumerateArray())
        {
            text.Append(CultureInfo.InvariantCulture,
                $"{finding.GetProperty("severity").GetString()!.ToUpperInvariant()} {finding.GetProperty("ruleId").GetString()} {finding.GetProperty("title").GetString()}: {finding.GetProperty("message").GetString()}\n");
        }

        return text.ToString().TrimEnd('\n');
    }
}
