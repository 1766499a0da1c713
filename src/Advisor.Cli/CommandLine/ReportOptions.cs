using Advisor.Core.Failures;

namespace Advisor.Cli.CommandLine;

/// <summary>The shared options as values, validated.</summary>
internal sealed record ReportOptions(
    IReadOnlyList<string> Outputs,
    bool Quiet,
    string? Format,
    string? DurationText,
    string Backend,
    bool Verbose,
    string StacksText = "sampled",
    CatalogChoice? Rules = null,
    GateChoice? Gates = null,
    bool Redact = false,
    int SampleRateHz = Linux.ProcSampling.ProcOptions.DefaultRateHz)
{
    public TimeSpan? Duration => DurationText is null
        ? null
        : DurationParser.TryParse(DurationText, out var d)
            ? d
            : throw new AdvisorException(FailureKind.Usage, $"--duration '{DurationText}' is not a duration: use 30s, 2m, 500ms or dd:hh:mm:ss");

    /// <summary>Which calls' stacks are walked (<c>--stacks</c>).</summary>
    public Core.Stacks.StackMode StackMode => StacksText switch
    {
        "sampled" => Core.Stacks.StackMode.Sampled,
        "all" => Core.Stacks.StackMode.All,
        "none" => Core.Stacks.StackMode.None,
        _ => throw new AdvisorException(FailureKind.Usage, $"--stacks '{StacksText}' is not a choice: use sampled, all or none"),
    };

    /// <summary>Whether any stack is recorded.</summary>
    public bool Stacks => StackMode != Core.Stacks.StackMode.None;

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
        _ = Duration;
        _ = StackMode;
        if (Format is not null)
        {
            Output.ReportExporters.Printed(Format);
        }

        if (!Linux.Backends.SyscallBackends.Names.Contains(Backend))
        {
            throw new AdvisorException(FailureKind.Usage, $"--backend '{Backend}' is not a backend: use {string.Join(", ", Linux.Backends.SyscallBackends.Names)}");
        }

        if (SampleRateHz is < Linux.ProcSampling.ProcOptions.MinRateHz or > Linux.ProcSampling.ProcOptions.MaxRateHz)
        {
            throw new AdvisorException(
                FailureKind.Usage,
                $"--sample-rate {SampleRateHz} is out of range: use {Linux.ProcSampling.ProcOptions.MinRateHz} to {Linux.ProcSampling.ProcOptions.MaxRateHz} (samples per second)");
        }

        foreach (var output in Outputs)
        {
            Output.ReportFiles.CheckDestination(output);
        }
    }
}
