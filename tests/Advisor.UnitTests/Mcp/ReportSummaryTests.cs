using System.Text.Json;
using Advisor.Cli.Mcp;

namespace Advisor.UnitTests.Mcp;

/// <summary>The text beside a report's JSON: what was observed, the hang verdict, the notes and each finding's line.</summary>
public class ReportSummaryTests
{
    [Fact]
    public void A_recording_summary_names_the_target_and_each_findings_line()
    {
        var summary = ReportSummary.Of(Report(
            """{ "pid": 4242, "name": "UnbufferedWriter", "commandLine": "dotnet UnbufferedWriter.dll", "runtimeVersion": "10.0.12", "isDotNet": true }""",
            """
            { "ruleId": "ADV002", "severity": "warning", "title": "Unbuffered small writes", "message": "pwrite64 ×100,000 (16 B avg) on /tmp/out.dat from Program.Write" },
            { "ruleId": "ADV001", "severity": "info", "title": "Syscall storm", "message": "futex ×2,000" }
            """));

        summary.ShouldBe(
            "pid 4242 UnbufferedWriter (.NET 10.0.12) · bpf · 5.0 s · 123,456 syscalls · 0 lost\n"
            + "note: a note\n"
            + "WARNING ADV002 Unbuffered small writes: pwrite64 ×100,000 (16 B avg) on /tmp/out.dat from Program.Write\n"
            + "INFO ADV001 Syscall storm: futex ×2,000");
    }

    [Fact]
    public void A_triage_summary_gives_the_verdict_and_next_step_and_a_run_the_commands_exit_code()
    {
        var summary = ReportSummary.Of(Report(
            """{ "pid": 7, "name": "cat", "commandLine": "cat", "isDotNet": false, "exitCode": 2 }""",
            "",
            """, "hang": { "verdict": "deadlock", "summary": "a ↔ b", "nextStep": "order the locks", "windowMs": 1500 }"""));

        summary.ShouldBe(
            "pid 7 cat · bpf · 5.0 s · 123,456 syscalls · 0 lost\n"
            + "command exited with code 2\n"
            + "verdict: deadlock — a ↔ b\n"
            + "next step: order the locks\n"
            + "note: a note\n"
            + "no findings");
    }

    private static JsonElement Report(string target, string findings, string more = "") => JsonDocument.Parse(
        $$"""
        {
          "schemaVersion": 1,
          "target": {{target}},
          "session": { "backend": "bpf", "durationSeconds": 5.0, "eventsTotal": 123456, "lostEvents": 0, "notes": ["a note"] },
          "findings": [{{findings}}]{{more}}
        }
        """).RootElement.Clone();
}
