using System.Globalization;
using System.Text;
using Advisor.Core.Comparison;
using Advisor.Core.Findings;
using Advisor.Core.Formatting;

namespace Advisor.Reports.Diff;

/// <summary>The diff as Markdown for a pull-request comment: a table of findings fixed, new and still there, then the syscalls and the runtime.</summary>
public static class DiffMarkdownWriter
{
    private const int SyscallRows = 15;

    public static void Write(RunDiff diff, Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        stream.Write(Encoding.UTF8.GetBytes(Render(diff)));
    }

    public static string Render(RunDiff diff)
    {
        ArgumentNullException.ThrowIfNull(diff);
        var md = new StringBuilder();
        var per = ChangeText.Per(diff.Unit);
        md.Append(Invariant($"# dotnet-advisor diff: {Escape(diff.After.Program)}\n\n"));
        md.Append(Invariant($"Before: {Run(diff.Before)}  \nAfter: {Run(diff.After)}  \nRates are per {diff.Unit}.\n\n"));
        foreach (var note in diff.Notes)
        {
            md.Append(Invariant($"> note: {Escape(note)}\n"));
        }

        md.Append(diff.Notes.Count > 0 ? "\n" : "");
        md.Append("## Findings\n\n");
        if (diff.Findings.Count == 0)
        {
            md.Append("None in either run.\n\n");
        }
        else
        {
            md.Append(Invariant($"| | severity | rule | call site | calls{per} before | after | change | saving ms{per} before | after |\n|---|---|---|---|---:|---:|---:|---:|---:|\n"));
            foreach (var f in diff.Findings)
            {
                md.Append(Invariant(
                    $"| **{ChangeText.Status(f.Status)}** | {SeverityNames.Display(f.Severity)} | {f.RuleId} {f.RuleName} | {Escape(f.CallSite ?? "")} | {ChangeText.Rate(f.CallsPerUnit.Before)} | {ChangeText.Rate(f.CallsPerUnit.After)} | {ChangeText.Percent(f.CallsPerUnit)} | {ChangeText.Rate(f.SavingMsPerUnit.Before)} | {ChangeText.Rate(f.SavingMsPerUnit.After)} |\n"));
            }

            md.Append('\n');
            foreach (var f in diff.Findings.Where(f => f.MeasuredSavingMsPerUnit is not null))
            {
                md.Append(Invariant(
                    $"{f.RuleId} fixed: its syscalls took {ChangeText.Rate(f.MeasuredSavingMsPerUnit!.Value)} ms{per} less kernel time (estimated {ChangeText.Rate(f.SavingMsPerUnit.Before)} ms{per}).\n\n"));
            }
        }

        md.Append(Invariant($"## Syscalls\n\n| syscall | calls{per} before | after | change | time ms{per} before | after | bytes{per} before | after |\n|---|---:|---:|---:|---:|---:|---:|---:|\n"));
        foreach (var s in diff.Syscalls.Take(SyscallRows))
        {
            md.Append(Invariant(
                $"| {s.Name} | {ChangeText.Rate(s.Calls.Before)} | {ChangeText.Rate(s.Calls.After)} | {ChangeText.Percent(s.Calls)} | {ChangeText.Rate(s.TimeMs.Before)} | {ChangeText.Rate(s.TimeMs.After)} | {Sizes.Format(s.Bytes.Before)} | {Sizes.Format(s.Bytes.After)} |\n"));
        }

        md.Append(diff.Syscalls.Count > SyscallRows ? Invariant($"\n{diff.Syscalls.Count - SyscallRows} more syscalls in the JSON diff.\n") : "").Append('\n');
        if (diff.Runtime is { } runtime)
        {
            md.Append(Invariant($"## Runtime\n\n| | before | after | change |\n|---|---:|---:|---:|\n"));
            foreach (var (name, change) in DiffRuntimeRows.Of(runtime, per))
            {
                md.Append(Invariant($"| {name} | {ChangeText.Rate(change.Before)} | {ChangeText.Rate(change.After)} | {ChangeText.Percent(change)} |\n"));
            }

            md.Append('\n');
        }

        return md.ToString();
    }

    private static string Run(RunSummary run) =>
        Invariant($"`{Escape(run.Path)}` ({run.Source}, pid {run.Pid}, {run.Backend} backend, {run.DurationSeconds:0.0} s, {run.EventsTotal:N0} syscalls{(run.Requests is { } r ? $", {r:N0} requests" : "")}, {run.Findings} finding{(run.Findings == 1 ? "" : "s")})");

    private static string Escape(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
