using System.Text.Json;
using Advisor.UnitTests.Reports;

namespace Advisor.IntegrationTests.Support;

/// <summary>
/// Every writer's output for one run, checked: the JSON against the published schema, the SARIF log, the Markdown, the HTML
/// page's pictures, the Chrome trace's events, the CSV rows (issue 6: every writer, valid, for every sample).
/// </summary>
internal static class WriterChecks
{
    public static readonly string[] Outputs = ["report.json", "report.md", "report.html", "report.trace.json", "report.sarif", "report.csv"];

    private static readonly Lazy<MiniJsonSchemaValidator> Schema = new(() =>
    {
        using var schema = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepoLayout.Root, "schemas", "report.schema.json")));
        return new MiniJsonSchemaValidator(schema.RootElement.Clone());
    });

    public static void Validate(string directory)
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(directory, "report.json")));
        Schema.Value.Validate(json.RootElement).ShouldBeEmpty("report.json against schemas/report.schema.json");
        var findings = json.RootElement.GetProperty("findings").GetArrayLength();
        // The trace draws the raw events: the app's calls and those the target made for the tool (session.observer).
        var events = json.RootElement.GetProperty("session").GetProperty("eventsTotal").GetInt64() + ReportJson.Load(Path.Combine(directory, "report.json")).ObserverCalls;

        var markdown = File.ReadAllText(Path.Combine(directory, "report.md"));
        markdown.ShouldStartWith("# dotnet-advisor: pid ");
        markdown.ShouldContain("## Findings");
        CountOf(markdown, "\n### ").ShouldBe(findings, "one Markdown section per finding");

        var html = File.ReadAllText(Path.Combine(directory, "report.html"));
        html.ShouldStartWith("<!DOCTYPE html>");
        html.ShouldContain("<svg class=\"flame\"");
        html.ShouldContain("<svg class=\"timeline\"");
        CountOf(html, "<section class=\"finding").ShouldBe(findings, "one HTML section per finding");

        using var sarif = JsonDocument.Parse(File.ReadAllText(Path.Combine(directory, "report.sarif")));
        sarif.RootElement.GetProperty("version").GetString().ShouldBe("2.1.0");
        var run = sarif.RootElement.GetProperty("runs")[0];
        var results = run.GetProperty("results").EnumerateArray().ToList();
        results.Count.ShouldBe(findings, "one SARIF result per finding");
        var rules = run.GetProperty("tool").GetProperty("driver").GetProperty("rules");
        results.ShouldAllBe(r => rules[r.GetProperty("ruleIndex").GetInt32()].GetProperty("id").GetString() == r.GetProperty("ruleId").GetString());

        // The CSV's rows (thread × syscall × fd) add up to the report's per-syscall totals.
        var csv = File.ReadAllLines(Path.Combine(directory, "report.csv"));
        csv[0].ShouldBe("pid,tid,thread,role,syscall,fd,target,calls,errors,bytes,total_ms,max_ms");
        var calls = csv.Skip(1).Sum(line => long.Parse(line.Split(',')[^5], System.Globalization.CultureInfo.InvariantCulture));
        calls.ShouldBe(json.RootElement.GetProperty("summary").GetProperty("syscalls").EnumerateArray().Sum(s => s.GetProperty("count").GetInt64()), "the CSV's calls are the report's");

        using var trace = JsonDocument.Parse(File.ReadAllText(Path.Combine(directory, "report.trace.json")));
        var drawn = trace.RootElement.GetProperty("traceEvents").EnumerateArray().Count(e => e.GetProperty("ph").GetString() == "X");
        var notDrawn = trace.RootElement.GetProperty("metadata").GetProperty("syscallsNotDrawn").GetInt64();
        (drawn + notDrawn).ShouldBe(events, "every syscall recorded is in the trace");
    }

    private static int CountOf(string text, string what)
    {
        var count = 0;
        for (var i = text.IndexOf(what, StringComparison.Ordinal); i >= 0; i = text.IndexOf(what, i + what.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
