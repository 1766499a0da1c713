using System.Globalization;
using Advisor.Core.Findings;
using Advisor.Core.Gates;
using Advisor.Core.Reporting;
using Spectre.Console;

namespace Advisor.Cli.Output;

/// <summary>
/// What the CI gates say: a table of what exceeded on stderr (stdout may be the JSON report), and, on GitHub
/// Actions, workflow commands that put the findings and the failures on the run's page.
/// </summary>
internal static class GateOutput
{
    /// <param name="stdoutIsReport">--format json: stdout carries the report, so annotations go to stderr.</param>
    /// <returns>True when every gate passed.</returns>
    public static bool Report(AdvisorReport report, IReadOnlyList<GateViolation> violations, bool stdoutIsReport)
    {
        if (Environment.GetEnvironmentVariable("GITHUB_ACTIONS") == "true")
        {
            Annotate(report, violations, stdoutIsReport ? Console.Error : Console.Out);
        }

        return Print(violations);
    }

    /// <summary>What exceeded, as a table on stderr (diff's gate too); true when nothing did.</summary>
    public static bool Print(IReadOnlyList<GateViolation> violations)
    {
        if (violations.Count == 0)
        {
            return true;
        }

        var console = Rendering.Terminal.Stderr;
        console.MarkupLine(string.Create(
            CultureInfo.InvariantCulture, $"[bold red]gate failed[/]: {violations.Count} limit{(violations.Count == 1 ? "" : "s")} exceeded"));
        var table = new Table().Border(TableBorder.Simple);
        table.AddColumn("gate");
        table.AddColumn("what");
        table.AddColumn(new TableColumn("limit").RightAligned());
        table.AddColumn(new TableColumn("this run").RightAligned());
        foreach (var v in violations)
        {
            table.AddRow(Markup.Escape(v.Gate), Markup.Escape(v.Subject), Markup.Escape(v.Limit), Markup.Escape(v.Actual));
        }

        console.Write(table);
        return false;
    }

    /// <summary>
    /// GitHub's workflow commands (<c>::warning title=…::message</c>): one per finding of warning or above, and
    /// one error per gate failure.
    /// </summary>
    internal static void Annotate(AdvisorReport report, IReadOnlyList<GateViolation> violations, TextWriter output)
    {
        foreach (var finding in report.Findings.Where(f => f.Severity >= Severity.Warning))
        {
            var command = finding.Severity == Severity.Error ? "error" : "warning";
            output.WriteLine($"::{command} title={Property($"{finding.RuleId} {finding.RuleName}")}::{Data(finding.Message)}");
        }

        foreach (var v in violations)
        {
            output.WriteLine($"::error title={Property($"dotnet-advisor {v.Gate} gate")}::{Data($"{v.Subject}: {v.Actual} (limit {v.Limit})")}");
        }
    }

    // GitHub's escaping: data escapes %, CR and LF; properties also ':' and ','.
    private static string Data(string text) =>
        text.Replace("%", "%25", StringComparison.Ordinal).Replace("\r", "%0D", StringComparison.Ordinal).Replace("\n", "%0A", StringComparison.Ordinal);

    private static string Property(string text) =>
        Data(text).Replace(":", "%3A", StringComparison.Ordinal).Replace(",", "%2C", StringComparison.Ordinal);
}
