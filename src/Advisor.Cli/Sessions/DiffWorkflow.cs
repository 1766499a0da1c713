using Advisor.Cli.CommandLine;
using Advisor.Cli.Output;
using Advisor.Cli.Rendering;
using Advisor.Core.Comparison;
using Advisor.Core.Comparison.Exporters;
using Advisor.Core.Failures;
using Advisor.Core.Gates;
using Advisor.Core.Reporting;
using Advisor.Core.Rules;

namespace Advisor.Cli.Sessions;

/// <summary>
/// <c>diff BEFORE AFTER</c>: each input read as <c>report</c> reads a recording (or back from a JSON report), the two
/// compared in Core, then the -o files, stdout, and the --fail-on-new gate.
/// </summary>
internal static class DiffWorkflow
{
    public static int Run(string beforePath, string afterPath, DiffChoice options)
    {
        var failOnNew = options.Validate();
        var rules = options.Rules.Load();
        var before = Read(beforePath, rules, options.Redact);
        var after = Read(afterPath, rules, options.Redact);
        var diff = RunComparer.Compare(AdvisorTool.Info, before, after);
        var context = new DiffContext(diff, before.Report, after.Report);
        foreach (var path in options.Outputs)
        {
            ReportFiles.WriteAtomically(path, stream => DiffExporters.For(path).Write(context, stream));
        }

        if (options.Format is { } format)
        {
            using var stdout = Console.OpenStandardOutput();
            DiffExporters.Printed(format).Write(context, stdout);
        }
        else if (!options.Quiet)
        {
            DiffConsoleReport.Render(Terminal.Stdout, diff, options.Verbose);
        }

        return GateOutput.Print(Gate.NewFindings(diff, failOnNew)) ? (int)ReturnCode.Ok : (int)ReturnCode.GateFailed;
    }

    /// <summary>A JSON report read back as written; anything else analysed as <c>report FILE</c> would, with today's rules.</summary>
    private static DiffInput Read(string path, RuleCatalog rules, bool redact)
    {
        InputFile.Require(path, whatInstead: "give a recording (NAME.advisor) or a JSON report (NAME.json)");
        if (IsJson(path))
        {
            return new DiffInput(Shape(ReportJsonFile.Load(path), redact), path, "report");
        }

        var (report, input) = ReportWorkflow.Analyse(path, rules);
        return new DiffInput(Shape(report, redact), path, input.Kind);
    }

    private static AdvisorReport Shape(AdvisorReport report, bool redact) => redact ? Redaction.Apply(report) : report;

    /// <summary>Whether the file starts as JSON does (a report); recordings start with gzip's magic, strace logs with a pid or time.</summary>
    private static bool IsJson(string path)
    {
        try
        {
            using var file = File.OpenRead(path);
            int b;
            while ((b = file.ReadByte()) is ' ' or '\t' or '\r' or '\n' or 0xEF or 0xBB or 0xBF)
            {
                // Whitespace and a UTF-8 byte-order mark may come before the object.
            }

            return b == '{';
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new AdvisorException(FailureKind.Usage, $"cannot read {path}: {e.Message}");
        }
    }
}
