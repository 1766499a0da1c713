using System.Globalization;
using System.Text;
using Advisor.Core.Comparison;
using Advisor.Core.Comparison.Exporters;
using Advisor.Core.Findings;
using Advisor.Core.Formatting;
using Advisor.Core.Reporting;
using Advisor.Reports.Html;

namespace Advisor.Reports.Diff;

/// <summary>
/// One self-contained HTML page (no network): the comparison on top, then both runs side by side, each with its
/// findings and syscall table drawn as the report's page draws them.
/// </summary>
public static class DiffHtmlWriter
{
    private const string SideBySide = """
        .runs { display: grid; grid-template-columns: 1fr 1fr; gap: 24px; } .runs > div { min-width: 0; }
        tr.fixed td:first-child { color: #2e7d32; font-weight: bold; } tr.new td:first-child { color: #c62828; font-weight: bold; }
        """;

    public static void Write(DiffContext context, Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        stream.Write(Encoding.UTF8.GetBytes(Render(context)));
    }

    public static string Render(DiffContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var diff = context.Diff;
        var per = ChangeText.Per(diff.Unit);
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">");
        html.Append(Invariant($"<title>dotnet-advisor diff · {E(diff.After.Program)}</title>"));
        html.Append("<style>").Append(HtmlReportWriter.Style).Append(SideBySide).Append("</style></head><body>\n");
        html.Append(Invariant($"<h1>dotnet-advisor diff · {E(diff.After.Program)}</h1>\n<p class=\"meta\">rates per {diff.Unit}</p>\n"));
        foreach (var note in diff.Notes)
        {
            html.Append("<p class=\"note\">note: ").Append(E(note)).Append("</p>\n");
        }

        html.Append(Invariant($"<h2>Findings</h2>\n<table class=\"changes\"><tr><th>status</th><th>severity</th><th>rule</th><th>call site</th><th>calls{per} before</th><th>after</th><th>change</th><th>saving ms{per} before</th><th>after</th></tr>\n"));
        foreach (var f in diff.Findings)
        {
            html.Append(Invariant(
                $"<tr class=\"{f.Status.ToString().ToLowerInvariant()}\"><td>{ChangeText.Status(f.Status)}</td><td>{SeverityNames.Display(f.Severity)}</td><td>{E(f.RuleId)} {E(f.RuleName)}</td><td>{E(f.CallSite ?? "")}</td><td>{ChangeText.Rate(f.CallsPerUnit.Before)}</td><td>{ChangeText.Rate(f.CallsPerUnit.After)}</td><td>{ChangeText.Percent(f.CallsPerUnit)}</td><td>{ChangeText.Rate(f.SavingMsPerUnit.Before)}</td><td>{ChangeText.Rate(f.SavingMsPerUnit.After)}</td></tr>\n"));
        }

        html.Append("</table>\n");
        if (diff.Findings.Count == 0)
        {
            html.Append("<p>None in either run.</p>\n");
        }

        html.Append(Invariant($"<h2>Syscalls</h2>\n<table class=\"changes\"><tr><th>syscall</th><th>calls{per} before</th><th>after</th><th>change</th><th>time ms{per} before</th><th>after</th></tr>\n"));
        foreach (var s in diff.Syscalls)
        {
            html.Append(Invariant(
                $"<tr><td>{E(s.Name)}</td><td>{ChangeText.Rate(s.Calls.Before)}</td><td>{ChangeText.Rate(s.Calls.After)}</td><td>{ChangeText.Percent(s.Calls)}</td><td>{ChangeText.Rate(s.TimeMs.Before)}</td><td>{ChangeText.Rate(s.TimeMs.After)}</td></tr>\n"));
        }

        html.Append("</table>\n");
        if (diff.Runtime is { } runtime)
        {
            html.Append("<h2>Runtime</h2>\n<table class=\"changes\"><tr><th></th><th>before</th><th>after</th><th>change</th></tr>\n");
            foreach (var (name, change) in DiffRuntimeRows.Of(runtime, per))
            {
                html.Append(Invariant($"<tr><td>{E(name)}</td><td>{ChangeText.Rate(change.Before)}</td><td>{ChangeText.Rate(change.After)}</td><td>{ChangeText.Percent(change)}</td></tr>\n"));
            }

            html.Append("</table>\n");
        }

        html.Append("<div class=\"runs\">\n");
        Run(html, "Before", diff.Before, context.Before);
        Run(html, "After", diff.After, context.After);
        html.Append("</div>\n</body></html>\n");
        return html.ToString();
    }

    private static void Run(StringBuilder html, string side, RunSummary run, AdvisorReport report)
    {
        html.Append(Invariant($"<div class=\"run {side.ToLowerInvariant()}\"><h2>{side}: {E(run.Path)}</h2>\n"));
        html.Append(Invariant($"<p class=\"meta\">{E(run.Source)} · pid {run.Pid} · {E(run.Backend)} backend · {run.DurationSeconds:0.0} s · {run.EventsTotal:N0} syscalls · {run.LostEvents:N0} lost</p>\n"));
        HtmlReportWriter.Findings(html, report);
        HtmlReportWriter.Syscalls(html, report.Summary);
        html.Append("</div>\n");
    }

    private static string E(string text) => HtmlReportWriter.E(text);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
