using System.Globalization;
using System.Text;
using Advisor.Core.Findings;
using Advisor.Core.Formatting;
using Advisor.Core.Reporting;

namespace Advisor.Reports.Markdown;

/// <summary>
/// The report as Markdown, for a pull-request comment or an incident ticket: the verdict (hang triage),
/// the findings with their evidence, stacks and fix, the threads that were blocked, and the syscall table.
/// </summary>
public static class MarkdownReportWriter
{
    private const int StackFrames = 12;

    public static void Write(AdvisorReport report, Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var bytes = Encoding.UTF8.GetBytes(Render(report));
        stream.Write(bytes);
    }

    public static string Render(AdvisorReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var md = new StringBuilder();
        var target = report.Target;
        var runtime = target.IsDotNet ? $" (.NET {target.RuntimeVersion})" : "";
        md.Append(Invariant($"# dotnet-advisor{(report.Hang is null ? "" : " hang")}: pid {target.Pid} {Escape(target.Name)}{runtime}\n\n"));
        md.Append(Invariant($"`{Escape(target.CommandLine)}` · {report.Session.Backend} backend · {report.Session.DurationSeconds:0.0} s"));
        md.Append(report.Hang is null ? Invariant($" · {report.Session.EventsTotal:N0} syscalls · {report.Session.LostEvents:N0} lost\n\n") : "\n\n");
        if (report.Hang is { } hang)
        {
            md.Append(Invariant($"**Verdict: {hang.Verdict}** — {Escape(hang.Summary)}\n\n**Next step:** {Escape(hang.NextStep)}\n\n"));
        }

        foreach (var note in report.Session.Notes)
        {
            md.Append(Invariant($"> note: {Escape(note)}\n"));
        }

        if (report.Session.Observer is { } observer)
        {
            md.Append(Invariant($"> {Escape(observer.Describe())}\n"));
        }

        md.Append(report.Session.Notes.Count > 0 || report.Session.Observer is not null ? "\n" : "");
        AppendFindings(md, report);
        AppendRequests(md, report.Hang?.Requests);
        AppendThreads(md, report);
        AppendSyscalls(md, report.Summary);
        return md.ToString();
    }

    private static void AppendFindings(StringBuilder md, AdvisorReport report)
    {
        md.Append("## Findings\n\n");
        if (report.Findings.Count == 0)
        {
            md.Append("None: nothing matched a rule.\n\n");
            return;
        }

        foreach (var finding in report.Findings)
        {
            md.Append(Invariant($"### {SeverityNames.Display(finding.Severity).ToUpperInvariant()} {finding.RuleId} {finding.RuleName} — {Escape(finding.Title)}\n\n"));
            md.Append(Escape(finding.Message)).Append("\n\n");
            if (report.Hang is null)
            {
                md.Append(Invariant($"Estimated saving: {finding.EstimatedSavingMs:N1} ms ({Escape(finding.SavingExplanation)}).\n\n"));
            }

            foreach (var stack in finding.Stacks)
            {
                var who = report.Hang is null ? "calls" : stack.Count == 1 ? "thread" : "threads";
                md.Append(Invariant($"<details><summary>stack ({stack.Count:N0} {who})</summary>\n\n```\n"));
                foreach (var frame in stack.Frames.Take(StackFrames))
                {
                    md.Append(frame).Append('\n');
                }

                md.Append(stack.Frames.Count > StackFrames ? Invariant($"… {stack.Frames.Count - StackFrames} more\n") : "");
                md.Append("```\n\n</details>\n\n");
            }

            foreach (var advice in finding.Advice.Take(1))
            {
                md.Append(Invariant($"**Fix:** {Escape(advice.Text)}\n\n"));
                if (advice.After is not null)
                {
                    md.Append("```csharp\n").Append(advice.After.TrimEnd()).Append("\n```\n\n");
                }
            }
        }
    }

    /// <summary>Hang triage of a service: the HTTP requests its threads were serving, longest blocked first.</summary>
    private static void AppendRequests(StringBuilder md, HangRequests? requests)
    {
        if (requests is null)
        {
            return;
        }

        md.Append(Invariant($"## Requests\n\n{requests.InFlight} in flight, {requests.Blocked} blocked{(requests.LongestBlockedMs is { } longest ? $", the longest for {longest / 1000:0.0} s" : "")}.\n\n"));
        md.Append("| tid | request | endpoint | blocked in | handler | blocked for |\n|---:|---|---|---|---|---:|\n");
        foreach (var r in requests.Items)
        {
            md.Append(Invariant(
                $"| {r.Tid} | {Escape(string.Join(' ', new[] { r.Method, r.Path }.OfType<string>()))} | {Escape(r.Endpoint ?? "")} | {Escape(r.BlockedIn ?? "")} | {Escape(r.Handler ?? "")} | {(r.BlockedForMs is { } ms ? $"{ms / 1000:0.0} s" : "")} |\n"));
        }

        md.Append('\n');
    }

    /// <summary>Hang triage: the threads that were not simply waiting for work.</summary>
    private static void AppendThreads(StringBuilder md, AdvisorReport report)
    {
        var threads = report.Threads.Where(t => t.BlockedSyscall is not null || (t.State?.StartsWith("running", StringComparison.Ordinal) ?? false)).ToList();
        if (report.Hang is null || threads.Count == 0)
        {
            return;
        }

        md.Append("## Threads\n\n| tid | name | role | state | syscall | for | on | top frame |\n|---:|---|---|---|---|---:|---|---|\n");
        foreach (var t in threads)
        {
            md.Append(Invariant(
                $"| {t.Tid} | {Escape(t.Name)} | {t.Role} | {t.State} | {t.BlockedSyscall} | {(t.BlockedForMs is { } ms ? $"{ms / 1000:0.0} s" : "")} | {Escape(t.BlockedOn ?? "")} | {Escape(t.Stack?.FirstOrDefault() ?? "")} |\n"));
        }

        md.Append('\n');
    }

    private static void AppendSyscalls(StringBuilder md, ReportSummary summary)
    {
        if (summary.Syscalls.Count == 0)
        {
            return;
        }

        md.Append("## Syscalls\n\n| syscall | count | errors | time ms | bytes |\n|---|---:|---:|---:|---:|\n");
        foreach (var s in summary.Syscalls)
        {
            md.Append(Invariant($"| {s.Name} | {s.Count:N0} | {s.Errors:N0} | {s.TotalTimeMs:N1} | {(s.Bytes == 0 ? "" : Sizes.Format(s.Bytes))} |\n"));
        }

        md.Append('\n');
    }

    /// <summary>Table cells and text must not break the Markdown: pipes and angle brackets are escaped.</summary>
    private static string Escape(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
