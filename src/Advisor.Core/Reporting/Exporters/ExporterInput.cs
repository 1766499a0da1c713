namespace Advisor.Core.Reporting.Exporters;

/// <summary>What an exporter is drawn from; each level includes the ones before it.</summary>
public enum ExporterInput
{
    /// <summary>The report alone: every command can write it, hang triage too.</summary>
    Report,

    /// <summary>The recording's aggregation (<see cref="ReportContext.Snapshot"/>): profile, run and report.</summary>
    Recording,

    /// <summary>The raw events (<see cref="ReportContext.Events"/>), which a recording keeps only when such a format is asked for.</summary>
    RawEvents,

    /// <summary>The live recording itself (what /proc answered during it): profile and run, not report.</summary>
    LiveRecording,
}
