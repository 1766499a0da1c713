using Advisor.Core.Failures;

namespace Advisor.Cli.CommandLine;

/// <summary>What every reporting command shares, as values: where the report goes, the rules, the gates.</summary>
internal sealed record ReportOptions(
    IReadOnlyList<string> Outputs,
    bool Quiet,
    string? Format,
    bool Verbose,
    CatalogChoice? Rules = null,
    GateChoice? Gates = null,
    bool Redact = false)
{
    /// <summary>The rules in force (built-in, custom, configured); validated here, so a bad file fails before recording.</summary>
    public Core.Rules.RuleCatalog LoadRules() => (Rules ?? CatalogChoice.Default).Load();

    /// <summary>The report as it may leave the tool: with --redact, paths, endpoints and the command line hashed.</summary>
    public Core.Reporting.AdvisorReport Shape(Core.Reporting.AdvisorReport report) => Redact ? Core.Reporting.Redaction.Apply(report) : report;

    /// <summary>The outputs drawn from the raw events: the recording keeps them when there is any.</summary>
    public IReadOnlyList<string> RawOutputs => Outputs.Where(Output.ReportExporters.NeedsEvents).ToList();

    /// <summary>The CI gates in force; budget and baseline files are read and checked here, before recording.</summary>
    public GateSettings LoadGates() => (Gates ?? GateChoice.None).Load();

    public void Validate()
    {
        if (Format is not null)
        {
            Output.ReportExporters.Printed(Format);
        }

        foreach (var output in Outputs)
        {
            Output.ReportFiles.CheckDestination(output);
        }
    }
}
