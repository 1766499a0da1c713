using System.Globalization;
using Advisor.Core.Findings;
using Advisor.Core.Reporting;
using Spectre.Console;

namespace Advisor.Cli.Rendering;

/// <summary>
/// The console view of <c>hang</c>: the verdict and next step first, then the findings behind it, then the
/// threads that matter (blocked in application code, on the CPU, named in a finding); the rest collapsed.
/// </summary>
internal static class HangConsoleReport
{
    private const int StackLines = 6;

    public static void Render(IAnsiConsole console, AdvisorReport report, bool verbose)
    {
        var target = report.Target;
        var runtime = target.IsDotNet ? $" (.NET {target.RuntimeVersion})" : "";
        console.MarkupLine(Invariant(
            $"[bold]dotnet-advisor hang[/] · pid {target.Pid} {Markup.Escape(target.Name)}{Markup.Escape(runtime)} · threads watched {report.Session.DurationSeconds:0.0} s · {report.Threads.Count} threads"));
        foreach (var note in report.Session.Notes)
        {
            console.MarkupLine($"[grey]note: {Markup.Escape(note)}[/]");
        }

        console.WriteLine();
        if (report.Hang is { } hang)
        {
            var color = hang.Verdict is "busy" or "idle" ? "green" : "red";
            console.MarkupLine($" [bold {color}]{Markup.Escape(hang.Verdict.ToUpperInvariant())}[/] {Markup.Escape(hang.Summary)}");
            console.MarkupLine($" [bold]Next:[/] {Markup.Escape(hang.NextStep)}");
            console.WriteLine();
        }

        foreach (var finding in report.Findings)
        {
            RenderFinding(console, finding);
        }

        if (report.Hang?.Requests is { } requests)
        {
            RenderRequests(console, requests, report.Threads, verbose);
        }

        RenderThreads(console, report, verbose);
    }

    private static void RenderFinding(IAnsiConsole console, Finding finding)
    {
        var color = finding.Severity == Severity.Error ? "red" : "yellow";
        console.MarkupLine($" [bold {color}]{SeverityNames.Display(finding.Severity).ToUpperInvariant()}[/] [bold]{finding.RuleId} {finding.RuleName}[/] — {Markup.Escape(finding.Title)}");
        console.MarkupLine($"   {Markup.Escape(finding.Message)}");
        foreach (var stack in finding.Stacks)
        {
            console.MarkupLine(Invariant($"   [grey]stack ({stack.Count} thread{(stack.Count == 1 ? "" : "s")}):[/]"));
            foreach (var frame in stack.Frames.Take(StackLines))
            {
                console.MarkupLine($"     [grey]{Markup.Escape(frame)}[/]");
            }

            if (stack.Frames.Count > StackLines)
            {
                console.MarkupLine(Invariant($"     [grey]… {stack.Frames.Count - StackLines} more frames[/]"));
            }
        }

        if (finding.Advice.FirstOrDefault() is { } advice)
        {
            console.MarkupLine($"   [bold]Fix:[/] {Markup.Escape(advice.Text)}");
        }

        console.WriteLine();
    }

    /// <summary>
    /// The requests in flight, grouped by endpoint, the call they block in and the code serving them, with how
    /// long their threads have been blocked; --verbose lists each one.
    /// </summary>
    private static void RenderRequests(IAnsiConsole console, HangRequests requests, IReadOnlyList<ThreadReport> threads, bool verbose)
    {
        // A request whose thread is not blocked says what it does instead: "waking", "running".
        var states = threads.ToDictionary(t => t.Tid, t => t.State?.Split(' ')[0] ?? "");
        var blocked = requests.Blocked == requests.InFlight ? $"all {requests.Blocked}" : requests.Blocked.ToString(CultureInfo.InvariantCulture);
        var longest = requests.LongestBlockedMs is { } longestMs ? $", the longest for {Time(longestMs)}" : "";
        console.MarkupLine(Invariant($" [bold]REQUESTS[/] {requests.InFlight} in flight, {blocked} blocked{longest}"));
        var table = new Table().Border(TableBorder.Simple);
        table.AddColumn(new TableColumn(verbose ? "tid" : "requests").RightAligned());
        table.AddColumn(verbose ? "request" : "endpoint");
        table.AddColumn("blocked in");
        table.AddColumn("handler");
        table.AddColumn(new TableColumn("blocked for").RightAligned());
        if (verbose)
        {
            foreach (var r in requests.Items)
            {
                var what = string.Join(' ', new[] { r.Method, r.Path }.OfType<string>());
                table.AddRow(
                    r.Tid.ToString(CultureInfo.InvariantCulture),
                    Markup.Escape(r.Endpoint is null ? what : $"{what} ({r.Endpoint})"),
                    Markup.Escape(r.BlockedIn ?? ""),
                    Markup.Escape(r.Handler ?? ""),
                    r.BlockedForMs is { } ms ? Time(ms) : states.GetValueOrDefault(r.Tid, ""));
            }
        }
        else
        {
            foreach (var group in requests.Items.GroupBy(r => (Endpoint: Endpoint(r), r.BlockedIn, r.Handler)).OrderByDescending(g => g.Count()))
            {
                var times = group.Select(r => r.BlockedForMs).OfType<double>().ToList();
                var span = times.Count == 0 ? string.Join(", ", group.Select(r => states.GetValueOrDefault(r.Tid, "")).Distinct())
                    : times.Min() == times.Max() ? Time(times.Max())
                    : $"{Time(times.Min())} to {Time(times.Max())}";
                table.AddRow(
                    group.Count().ToString(CultureInfo.InvariantCulture),
                    Markup.Escape(group.Key.Endpoint),
                    Markup.Escape(group.Key.BlockedIn ?? ""),
                    Markup.Escape(group.Key.Handler ?? ""),
                    span);
            }
        }

        console.Write(table);
        console.WriteLine();
    }

    /// <summary>The endpoint routing chose, else what was asked ("GET /orders/17"), else that it is a request.</summary>
    private static string Endpoint(HangRequest request) =>
        request.Endpoint ?? (request.Method is null && request.Path is null ? "(request)" : string.Join(' ', new[] { request.Method, request.Path }.OfType<string>()));

    private static string Time(double ms) => Core.Rules.MessageTemplate.Format(ms, "time");

    private static void RenderThreads(IAnsiConsole console, AdvisorReport report, bool verbose)
    {
        var named = report.Findings.SelectMany(f => f.Evidence.Threads).Select(t => t.Tid).ToHashSet();
        var shown = report.Threads.Where(t => verbose || Matters(t, named)).ToList();
        var table = new Table().Border(TableBorder.Simple);
        table.AddColumn(new TableColumn("tid").RightAligned());
        table.AddColumn("name");
        table.AddColumn("role");
        table.AddColumn("state");
        table.AddColumn("syscall");
        table.AddColumn(new TableColumn("for").RightAligned());
        table.AddColumn("on / at");
        foreach (var thread in shown)
        {
            table.AddRow(
                thread.Tid.ToString(CultureInfo.InvariantCulture),
                Markup.Escape(thread.Name),
                Markup.Escape(thread.Role),
                Markup.Escape(thread.State ?? ""),
                Markup.Escape(thread.BlockedSyscall ?? ""),
                thread.BlockedForMs is { } ms ? Markup.Escape(Core.Rules.MessageTemplate.Format(ms, "time")) : "",
                Markup.Escape(Where(thread)));
        }

        if (shown.Count > 0)
        {
            console.Write(table);
        }

        var hidden = report.Threads.Count - shown.Count;
        if (hidden > 0)
        {
            console.MarkupLine(Invariant($"[grey] ({hidden} more thread{(hidden == 1 ? "" : "s")} waiting for work: the runtime's own and idle ones; --verbose lists them)[/]"));
        }
    }

    /// <summary>Blocked or running application threads, and any thread a finding names.</summary>
    private static bool Matters(ThreadReport thread, HashSet<int> named) =>
        named.Contains(thread.Tid)
        || (thread.State?.StartsWith("running", StringComparison.Ordinal) ?? false)
        || (thread.Role is "main" or "user-named" or "other" && thread.Stack is { Count: > 0 });

    /// <summary>What the thread waits on, else where it is in managed code.</summary>
    private static string Where(ThreadReport thread) =>
        thread.BlockedOn ?? (thread.Stack is { Count: > 0 } stack && CallPath.Of(new StackSample(1, stack)) is { } path ? path : "");

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
