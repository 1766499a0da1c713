using Advisor.Core.Reporting.Exporters;

namespace Advisor.Core.Recording;

/// <summary><c>-o NAME.advisor</c>: the recording itself, for <c>report</c> to analyse again.</summary>
public sealed class RecordingExporter : IReportExporter
{
    public string Name => "recording";

    public IReadOnlyList<string> Extensions { get; } = [".advisor"];

    public string Description => "the raw recording (gzip: syscall events, the /proc answers, named stacks, runtime events), which `report FILE` analyses again with other rules or options";

    public ExporterInput Input => ExporterInput.LiveRecording;

    public void Write(ReportContext context, Stream stream) => context.RequireEvents().WriteRecording(context, stream);
}
