using System.Globalization;
using Advisor.Core.Comparison;
using Advisor.Core.Findings;
using Advisor.Core.Formatting;
using Advisor.Reports.Diff;
using Spectre.Console;

namespace Advisor.Cli.Rendering;

/// <summary>The console diff: both runs named, each finding fixed, new or still there with its rates, then the syscalls and runtime totals that moved.</summary>
internal static class DiffConsoleReport
{
    private const int SyscallRows = 12;

    public static void Render(IAnsiConsole console, RunDiff diff, bool verbose)
    {
        var per = ChangeText.Per(diff.Unit);
        console.MarkupLine($"[bold]dotnet-advisor diff[/] · {Markup.Escape(diff.After.Program)} · rates per {diff.Unit}");
        console.MarkupLine($" before  {Markup.Escape(Run(diff.Before))}");
        console.MarkupLine($" after   {Markup.Escape(Run(diff.After))}");
        foreach (var note in diff.Notes)
        {
            console.MarkupLine($"[grey]note: {Markup.Escape(note)}[/]");
        }

        console.WriteLine();
        if (diff.Findings.Count == 0)
        {
            console.MarkupLine("[green] No findings[/] in either run.");
            console.WriteLine();
        }

        foreach (var finding in diff.Findings)
        {
            RenderFinding(console, finding, per);
        }

        RenderSyscalls(console, diff, per, verbose);
        if (diff.Runtime is { } runtime)
        {
            RenderRuntime(console, runtime, per, verbose);
        }
    }

    private static void RenderFinding(IAnsiConsole console, FindingChange f, string per)
    {
        var (label, color) = f.Status switch
        {
            FindingStatus.Fixed => ("FIXED", "green"),
            FindingStatus.New => ("NEW", "red"),
            _ => ("STILL THERE", "yellow"),
        };
        var site = f.CallSite is null ? "" : $" from {f.CallSite}";
        console.MarkupLine($" [bold {color}]{label}[/] {SeverityNames.Display(f.Severity)} [bold]{f.RuleId} {f.RuleName}[/]{Markup.Escape(site)}");
        console.MarkupLine($"   [grey]{Markup.Escape((f.After ?? f.Before)!.Message)}[/]");
        var line = Invariant($"   calls{per} {ChangeText.Rate(f.CallsPerUnit.Before)} → {ChangeText.Rate(f.CallsPerUnit.After)} ({ChangeText.Percent(f.CallsPerUnit)}) · est. saving ms{per} {ChangeText.Rate(f.SavingMsPerUnit.Before)} → {ChangeText.Rate(f.SavingMsPerUnit.After)}");
        if (f.BlockedMsPerUnit.Before > 0 || f.BlockedMsPerUnit.After > 0)
        {
            line += Invariant($" · waited ms{per} {ChangeText.Rate(f.BlockedMsPerUnit.Before)} → {ChangeText.Rate(f.BlockedMsPerUnit.After)}");
        }

        console.MarkupLine(Markup.Escape(line));
        if (f.MeasuredSavingMsPerUnit is { } measured)
        {
            console.MarkupLine(Markup.Escape(Invariant(
                $"   measured: the kernel time of its syscalls fell by {ChangeText.Rate(measured)} ms{per} (all their call sites)")));
        }

        console.WriteLine();
    }

    private static void RenderSyscalls(IAnsiConsole console, RunDiff diff, string per, bool verbose)
    {
        var table = new Table().Border(TableBorder.Simple);
        table.AddColumn("syscall");
        foreach (var head in new[] { $"calls{per} before", "after", "change", $"time ms{per} before", "after", $"bytes{per} before", "after" })
        {
            table.AddColumn(new TableColumn(head).RightAligned());
        }

        var rows = verbose ? diff.Syscalls : diff.Syscalls.Take(SyscallRows);
        foreach (var s in rows)
        {
            table.AddRow(
                Markup.Escape(s.Name),
                ChangeText.Rate(s.Calls.Before),
                ChangeText.Rate(s.Calls.After),
                ChangeText.Percent(s.Calls),
                ChangeText.Rate(s.TimeMs.Before),
                ChangeText.Rate(s.TimeMs.After),
                Sizes.Format(s.Bytes.Before),
                Sizes.Format(s.Bytes.After));
        }

        console.Write(table);
        var more = diff.Syscalls.Count - SyscallRows;
        if (!verbose && more > 0)
        {
            console.MarkupLine(Invariant($"[grey] ({more} more syscalls; --verbose shows all)[/]"));
        }
    }

    private static void RenderRuntime(IAnsiConsole console, RuntimeChange runtime, string per, bool verbose)
    {
        var table = new Table().Border(TableBorder.Simple);
        table.AddColumn("runtime");
        table.AddColumn(new TableColumn("before").RightAligned());
        table.AddColumn(new TableColumn("after").RightAligned());
        table.AddColumn(new TableColumn("change").RightAligned());
        foreach (var (name, change) in DiffRuntimeRows.Of(runtime, per).Where(r => verbose || r.Change.Before != 0 || r.Change.After != 0))
        {
            table.AddRow(Markup.Escape(name), ChangeText.Rate(change.Before), ChangeText.Rate(change.After), ChangeText.Percent(change));
        }

        if (table.Rows.Count > 0)
        {
            console.Write(table);
        }
        else
        {
            console.MarkupLine("[grey] runtime: no lock contention, pool work, GC or exception in either run[/]");
        }
    }

    private static string Run(RunSummary run) =>
        Invariant($"{run.Path} · {run.Source} · pid {run.Pid} · {run.Backend} backend · {run.DurationSeconds:0.0} s · {run.EventsTotal:N0} syscalls{(run.Requests is { } r ? $" · {r:N0} requests" : "")} · {run.Findings} finding{(run.Findings == 1 ? "" : "s")}");

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
