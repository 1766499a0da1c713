using System.Globalization;
using System.Net;
using System.Text;
using Advisor.Core.Findings;
using Advisor.Core.Formatting;
using Advisor.Core.Reporting;

namespace Advisor.Reports.Html;

/// <summary>
/// One self-contained HTML file (no network, no external script or font): the findings, a flame graph of
/// syscalls by the stacks that made them, a per-thread timeline of syscall activity and time in the kernel,
/// and the syscall table. Drawn as inline SVG here, so it shows the same in any browser, offline.
/// </summary>
public static class HtmlReportWriter
{
    private const int Width = 1200;
    private const int RowHeight = 18;
    private const int MaxDepth = 48;
    private const int TimelineThreads = 24;
    private const int LabelWidth = 220;

    public static void Write(AdvisorReport report, FlameNode flame, ThreadTimeline? timeline, Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        stream.Write(Encoding.UTF8.GetBytes(Render(report, flame, timeline)));
    }

    public static string Render(AdvisorReport report, FlameNode flame, ThreadTimeline? timeline)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(flame);
        var html = new StringBuilder();
        var target = report.Target;
        html.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">");
        html.Append(Invariant($"<title>dotnet-advisor · {E(target.Name)} ({target.Pid})</title>"));
        html.Append("<style>").Append(Style).Append("</style></head><body>\n");
        html.Append(Invariant($"<h1>dotnet-advisor · pid {target.Pid} {E(target.Name)}{(target.IsDotNet ? $" (.NET {E(target.RuntimeVersion ?? "")})" : "")}</h1>\n"));
        html.Append(Invariant($"<p class=\"meta\">{E(report.Session.Backend)} backend · {report.Session.DurationSeconds:0.0} s · {report.Session.EventsTotal:N0} syscalls · {report.Session.LostEvents:N0} lost</p>\n"));
        foreach (var note in report.Session.Notes)
        {
            html.Append("<p class=\"note\">note: ").Append(E(note)).Append("</p>\n");
        }

        if (report.Session.Observer is { } observer)
        {
            html.Append("<p class=\"note\">").Append(E(observer.Describe())).Append("</p>\n");
        }

        Findings(html, report);
        html.Append("<h2>Syscalls by stack</h2>\n<p class=\"hint\">Outermost frame at the top; each bar is as wide as the calls made through it. Hover for counts.</p>\n");
        Flame(html, flame);
        if (timeline is not null)
        {
            html.Append(Invariant($"<h2>Threads over time</h2>\n<p class=\"hint\">One row per thread, {timeline.Slices} slices of {timeline.SliceMs:0.#} ms: the darker, the more of the slice the thread spent inside syscalls (blocked or working in the kernel). Hover for calls.</p>\n"));
            Timeline(html, report, timeline);
        }

        Syscalls(html, report.Summary);
        // Records each drawing's laid-out size, so a headless browser test can tell it was really drawn.
        html.Append("<script>document.querySelectorAll('svg').forEach(s => s.dataset.renderedWidth = Math.round(s.getBoundingClientRect().width)); document.body.dataset.rendered = 'yes';</script>\n");
        html.Append("</body></html>\n");
        return html.ToString();
    }

    /// <summary>The findings as sections (the diff's page draws each run's with this too).</summary>
    internal static void Findings(StringBuilder html, AdvisorReport report)
    {
        html.Append(Invariant($"<h2>Findings ({report.Findings.Count})</h2>\n"));
        if (report.Findings.Count == 0)
        {
            html.Append("<p>None: nothing in this recording matched a rule.</p>\n");
        }

        foreach (var f in report.Findings)
        {
            html.Append(Invariant($"<section class=\"finding {SeverityNames.Display(f.Severity)}\"><h3><span class=\"sev\">{SeverityNames.Display(f.Severity).ToUpperInvariant()}</span> {E(f.RuleId)} {E(f.RuleName)} — {E(f.Title)}</h3>\n"));
            html.Append("<p>").Append(E(f.Message)).Append("</p>\n");
            html.Append(Invariant($"<p class=\"hint\">saves ~{f.EstimatedSavingMs:N1} ms: {E(f.SavingExplanation)}</p>\n"));
            if (f.Stacks.Count > 0)
            {
                html.Append("<pre class=\"stack\">").Append(E(string.Join('\n', f.Stacks[0].Frames.Take(12)))).Append("</pre>\n");
            }

            if (f.Advice.FirstOrDefault() is { } advice)
            {
                html.Append("<p><b>Fix:</b> ").Append(E(advice.Text)).Append("</p>\n");
                if (advice.After is not null)
                {
                    html.Append("<pre class=\"code\">").Append(E(advice.After)).Append("</pre>\n");
                }
            }

            html.Append("</section>\n");
        }
    }

    private static void Flame(StringBuilder html, FlameNode root)
    {
        var rects = new StringBuilder();
        var depth = Layout(rects, root, 0, Width, 0, root.Count);
        html.Append(Invariant($"<svg class=\"flame\" width=\"{Width}\" height=\"{(depth + 1) * RowHeight}\" viewBox=\"0 0 {Width} {(depth + 1) * RowHeight}\">"));
        html.Append(rects).Append("</svg>\n");
    }

    /// <returns>The deepest level drawn below this node.</returns>
    private static int Layout(StringBuilder svg, FlameNode node, double x, double width, int depth, long total)
    {
        if (width < 0.5 || depth > MaxDepth)
        {
            return depth - 1;
        }

        var share = total == 0 ? 0 : node.Count / (double)total;
        // A hue from the name (not string.GetHashCode, which changes per process): the same frame, the same colour.
        var hue = depth == 0 ? 30 : 10 + (node.Name.Aggregate(0, (h, c) => ((h * 31) + c) & 0xFFFF) % 40);
        svg.Append(Invariant($"<g><title>{E(node.Name)} — {node.Count:N0} calls ({share:P1})</title><rect class=\"frame\" x=\"{x:0.##}\" y=\"{depth * RowHeight}\" width=\"{width:0.##}\" height=\"{RowHeight - 1}\" fill=\"hsl({hue},85%,62%)\"/>"));
        if (width > 40)
        {
            svg.Append(Invariant($"<text x=\"{x + 3:0.##}\" y=\"{(depth * RowHeight) + 13}\">{E(Fit(node.Name, width))}</text>"));
        }

        svg.Append("</g>");
        var deepest = depth;
        var childX = x;
        foreach (var child in node.Children)
        {
            var childWidth = node.Count == 0 ? 0 : width * child.Count / node.Count;
            deepest = Math.Max(deepest, Layout(svg, child, childX, childWidth, depth + 1, total));
            childX += childWidth;
        }

        return deepest;
    }

    private static void Timeline(StringBuilder html, AdvisorReport report, ThreadTimeline timeline)
    {
        var names = report.Threads.ToDictionary(t => t.Tid, t => $"{t.Name} ({t.Tid})");
        var rows = timeline.Busiest(TimelineThreads);
        var cell = (Width - LabelWidth) / (double)timeline.Slices;
        html.Append(Invariant($"<svg class=\"timeline\" width=\"{Width}\" height=\"{(rows.Count * RowHeight) + 4}\" viewBox=\"0 0 {Width} {(rows.Count * RowHeight) + 4}\">"));
        for (var r = 0; r < rows.Count; r++)
        {
            var (tid, calls, kernel) = rows[r];
            var y = r * RowHeight;
            html.Append(Invariant($"<g class=\"thread\" data-tid=\"{tid}\"><text x=\"0\" y=\"{y + 13}\">{E(Fit(names.GetValueOrDefault(tid) ?? tid.ToString(CultureInfo.InvariantCulture), LabelWidth - 8))}</text>"));
            for (var s = 0; s < calls.Length; s++)
            {
                if (calls[s] == 0 && kernel[s] == 0)
                {
                    continue;
                }

                var lightness = 92 - (int)(kernel[s] * 60);
                html.Append(Invariant($"<rect class=\"slice\" x=\"{LabelWidth + (s * cell):0.##}\" y=\"{y}\" width=\"{Math.Max(1, cell - 0.5):0.##}\" height=\"{RowHeight - 2}\" fill=\"hsl(0,75%,{lightness}%)\"><title>{calls[s]:N0} calls, {kernel[s]:P0} in the kernel</title></rect>"));
            }

            html.Append("</g>");
        }

        html.Append("</svg>\n");
    }

    internal static void Syscalls(StringBuilder html, ReportSummary summary)
    {
        html.Append("<h2>Syscalls</h2>\n<table><tr><th>syscall</th><th>count</th><th>errors</th><th>time ms</th><th>bytes</th></tr>\n");
        foreach (var s in summary.Syscalls)
        {
            html.Append(Invariant($"<tr><td>{E(s.Name)}</td><td>{s.Count:N0}</td><td>{s.Errors:N0}</td><td>{s.TotalTimeMs:N1}</td><td>{(s.Bytes == 0 ? "" : Sizes.Format(s.Bytes))}</td></tr>\n"));
        }

        html.Append("</table>\n");
    }

    /// <summary>Cuts a label to what fits in the pixels (about 7 px per character), with an ellipsis.</summary>
    private static string Fit(string text, double pixels)
    {
        var chars = (int)(pixels / 7);
        return text.Length <= chars ? text : chars <= 1 ? "" : text[..(chars - 1)] + "…";
    }

    internal static string E(string text) => WebUtility.HtmlEncode(text);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    internal const string Style = """
        body { font: 14px system-ui, sans-serif; margin: 24px; color: #222; max-width: 1240px; }
        h1 { font-size: 20px; } h2 { font-size: 17px; margin-top: 28px; } h3 { font-size: 15px; margin: 0 0 6px; }
        .meta, .hint, .note { color: #666; } .finding { border-left: 4px solid #999; padding: 6px 12px; margin: 10px 0; background: #fafafa; }
        .finding.error { border-color: #c62828; } .finding.warning { border-color: #ef8c00; } .finding.info { border-color: #1565c0; }
        .sev { font-weight: bold; } pre { background: #f0f0f0; padding: 6px 8px; overflow-x: auto; } pre.code { background: #eef7ee; }
        svg text { font: 11px ui-monospace, monospace; fill: #111; pointer-events: none; } rect.frame:hover, rect.slice:hover { stroke: #000; }
        table { border-collapse: collapse; } td, th { padding: 2px 12px; text-align: right; border-bottom: 1px solid #ddd; } td:first-child, th:first-child { text-align: left; }
        """;
}
