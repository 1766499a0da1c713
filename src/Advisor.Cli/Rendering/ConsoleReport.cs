using System.Globalization;
using Advisor.Core.Findings;
using Advisor.Core.Formatting;
using Advisor.Core.Reporting;
using Advisor.Core.Syscalls;
using Spectre.Console;

namespace Advisor.Cli.Rendering;

/// <summary>The console report: the header, the ranked findings with their fix, then the syscall table.</summary>
internal static class ConsoleReport
{
    private const int SummaryRows = 12;

    public static void Render(IAnsiConsole console, AdvisorReport report, bool verbose)
    {
        var target = report.Target;
        var session = report.Session;
        var runtime = target.IsDotNet ? $" (.NET {target.RuntimeVersion})" : "";
        console.MarkupLine(Invariant(
            $"[bold]dotnet-advisor[/] · pid {target.Pid} {Markup.Escape(target.Name)}{Markup.Escape(runtime)} · {session.Backend} backend · {session.DurationSeconds:0.0} s · {session.EventsTotal:N0} syscalls · {Lost(session.LostEvents)}"));
        if (target.ExitCode is { } exit)
        {
            console.MarkupLine(Invariant($"[grey]command exited with code {exit}[/]"));
        }

        foreach (var note in session.Notes)
        {
            console.MarkupLine($"[grey]note: {Markup.Escape(note)}[/]");
        }

        if (report.Runtime is { } runtimeEvents && RuntimeLine(runtimeEvents) is { } line)
        {
            console.MarkupLine($"[grey]{Markup.Escape(line)}[/]");
        }

        if (session.Observer is { } observer)
        {
            console.MarkupLine($"[grey]{Markup.Escape(observer.Describe())}[/]");
        }

        console.WriteLine();
        var shown = report.Findings.Where(f => verbose || f.Severity >= Severity.Warning).ToList();
        if (report.Findings.Count == 0)
        {
            console.MarkupLine("[green] No findings:[/] nothing in this recording matched a rule.");
        }

        foreach (var finding in shown)
        {
            RenderFinding(console, finding, report.Session.DurationSeconds);
        }

        var hidden = report.Findings.Count - shown.Count;
        if (hidden > 0)
        {
            console.MarkupLine(Invariant($"[grey] ({hidden} info finding{(hidden == 1 ? "" : "s")} hidden; --verbose shows them)[/]"));
        }

        console.WriteLine();
        RenderSummary(console, report.Summary, verbose);
    }

    private static void RenderFinding(IAnsiConsole console, Finding finding, double durationSeconds)
    {
        var color = finding.Severity switch
        {
            Severity.Error => "red",
            Severity.Warning => "yellow",
            _ => "blue",
        };
        // Waiting is latency, not CPU: a finding about waits leads with the time waited.
        var gain = finding.BlockedMs is { } blocked && blocked > finding.EstimatedSavingMs
            ? $"threads waited ~{FormatTime(blocked)} in these calls per {durationSeconds:0.0} s (latency, not CPU)"
            : $"saves ~{FormatTime(finding.EstimatedSavingMs)} of kernel time per {durationSeconds:0.0} s";
        console.MarkupLine(Invariant(
            $" [bold {color}]{SeverityNames.Display(finding.Severity).ToUpperInvariant()}[/] [bold]{finding.RuleId} {finding.RuleName}[/] — {gain}"));
        console.MarkupLine($"   {Markup.Escape(finding.Message)}");
        if (finding.Stacks.Count > 0 && CallPath.Of(finding.Stacks[0]) is { } path)
        {
            var share = finding.Evidence.Count == 0 ? 0 : 100.0 * finding.Stacks[0].Count / finding.Evidence.Count;
            var where = finding.Thread is { } thread ? $" [thread {thread.Name}]" : string.Empty;
            console.MarkupLine(Invariant($"     [grey]at {Markup.Escape(path)} ({share:0}% of calls){Markup.Escape(where)}[/]"));
        }

        console.MarkupLine($"   [grey]{Markup.Escape(finding.SavingExplanation)}[/]");
        var advice = finding.Advice.FirstOrDefault();
        if (advice is not null)
        {
            console.MarkupLine($"   [bold]Fix:[/] {Markup.Escape(advice.Text)}");
            if (advice.After is not null)
            {
                foreach (var line in advice.After.Split('\n'))
                {
                    console.MarkupLine($"        [green]{Markup.Escape(line)}[/]");
                }
            }
        }

        console.WriteLine();
    }

    private static void RenderSummary(IAnsiConsole console, ReportSummary summary, bool verbose)
    {
        if (summary.Syscalls.Count == 0)
        {
            console.MarkupLine("[grey] No syscalls recorded: the target made none while it was traced.[/]");
            return;
        }

        var table = new Table().Border(TableBorder.Simple);
        table.AddColumn("syscall");
        table.AddColumn(new TableColumn("count").RightAligned());
        table.AddColumn(new TableColumn("errors").RightAligned());
        table.AddColumn(new TableColumn("time ms").RightAligned());
        table.AddColumn(new TableColumn("bytes").RightAligned());
        var rows = verbose ? summary.Syscalls : summary.Syscalls.Take(SummaryRows);
        foreach (var s in rows)
        {
            table.AddRow(
                Markup.Escape(s.Name),
                s.Count.ToString("N0", CultureInfo.InvariantCulture),
                s.Errors.ToString("N0", CultureInfo.InvariantCulture),
                s.TotalTimeMs.ToString("N1", CultureInfo.InvariantCulture),
                s.Bytes == 0 ? "" : Sizes.Format(s.Bytes));
        }

        console.Write(table);
        var more = summary.Syscalls.Count - SummaryRows;
        if (!verbose && more > 0)
        {
            console.MarkupLine(Invariant($"[grey] ({more} more syscalls; --verbose shows all)[/]"));
        }
    }

    /// <summary>What the runtime said, in one line: contention (and where), the pool's work, GCs, exceptions.</summary>
    /// <summary>The parts that happened, or null when the runtime had nothing to say.</summary>
    private static string? RuntimeLine(RuntimeReport runtime)
    {
        var contention = runtime.Contention;
        var pool = runtime.ThreadPool;
        var parts = new List<string>();
        if (contention.Count > 0)
        {
            var where = contention.Stacks.Count > 0 && CallPath.Of(contention.Stacks[0]) is { } path ? $", most at {path}" : "";
            parts.Add(Invariant($"{contention.Count:N0} lock contentions ({FormatTime(contention.WaitMs)} waited{where})"));
        }

        if (runtime.Requests is { } requests)
        {
            parts.Add(Invariant($"{requests.Count:N0} requests ({requests.PerSecond:N0}/s{(requests.MaxInFlight > 0 ? $", up to {requests.MaxInFlight:N0} in flight" : "")})"));
        }

        // Counted one by one only when the per-item events were asked for; else the hill climbing's count.
        var workItems = pool.Dequeued ?? pool.WorkItems;
        if (workItems > 0 || pool.BlockedWaits > 0)
        {
            parts.Add(Invariant($"thread pool: {workItems:N0} work items, up to {pool.MaxWorkers} workers, {pool.BlockedWaits:N0} blocking waits"));
        }

        if (runtime.Gc.Count > 0)
        {
            parts.Add(Invariant($"{runtime.Gc.Count:N0} GCs"));
        }

        if (runtime.Exceptions > 0)
        {
            parts.Add(Invariant($"{runtime.Exceptions:N0} exceptions"));
        }

        return parts.Count == 0 ? null : "runtime: " + string.Join(" · ", parts);
    }

    private static string FormatTime(double ms) =>
        Core.Rules.MessageTemplate.Format(ms, "time");

    private static string Lost(long lost) => lost == 0 ? "0 lost" : Invariant($"[red]{lost:N0} lost[/]");

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
