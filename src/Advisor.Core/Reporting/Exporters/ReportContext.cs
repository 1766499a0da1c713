using Advisor.Core.Aggregation;
using Advisor.Core.Rules;

namespace Advisor.Core.Reporting.Exporters;

/// <summary>What an exporter may draw on: the report, the recording it was built from, the rules in force.</summary>
/// <param name="Report">The report as it leaves the tool (already redacted when <paramref name="Redact"/>).</param>
/// <param name="Rules">The catalogue in force, which SARIF describes its rules from.</param>
/// <param name="Redact">Paths and endpoints are hashed in whatever an exporter takes from the recording itself.</param>
public sealed record ReportContext(AdvisorReport Report, RuleCatalog Rules, bool Redact = false)
{
    /// <summary>The recording's aggregation, joined with the runtime's; null for hang triage.</summary>
    public AggregateSnapshot? Snapshot { get; init; }

    /// <summary>The recording's raw events, when they were kept; null otherwise.</summary>
    public IRawEvents? Events { get; init; }

    /// <summary>The snapshot, for an exporter that needs it (<see cref="ExporterInput.Recording"/>).</summary>
    public AggregateSnapshot RequireSnapshot() =>
        Snapshot ?? throw new InvalidOperationException("this exporter needs a recording: the command line offers it only where there is one");

    /// <summary>The raw events, for an exporter that needs them (<see cref="ExporterInput.RawEvents"/>).</summary>
    public IRawEvents RequireEvents() =>
        Events ?? throw new InvalidOperationException("this exporter needs the raw events: the recording keeps them when it is asked for");
}
