using Advisor.Core.Reporting.Exporters;

namespace Advisor.Core.Recording;

/// <summary><c>-o NAME.advisor</c>: the recording itself, for <c>report</c> to analyse again.</summary>
public sealed class RecordingExporter : IReportExporter
{
    public string Name => "recording";

    public IReadOnlyList<string> Extensions { get; } = [".advisor"];

    public string Description => "the raw recording (gzip: syscall events, the /proc answers, named stacks, runtime events), which `report FILE` analyses again with other rules or options";

    public ExporterInput Input => ExporterInput.LiveRecording;

    /// <summary>Only a live recording kept what the file needs (<see cref="RecordingResult.Kept"/>): <c>report</c> refuses this output before it analyses.</summary>
    public void Write(ReportContext context, Stream stream)
    {
        var kept = context.RequireEvents() as KeptEvents
            ?? throw new InvalidOperationException("only a live recording writes a recording: the command line offers it only there");
        kept.WriteRecording(context.Report, context.RequireSnapshot(), context.Redact, stream);
    }
}
