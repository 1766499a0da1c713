using Advisor.Core.Reporting;
using Advisor.Core.Reporting.Exporters;

namespace Advisor.Reports.Html;

/// <summary><c>-o NAME.html</c>: the findings, a flame graph from the named stacks, a timeline from the raw events.</summary>
public sealed class HtmlExporter : IReportExporter
{
    public string Name => "html";

    public IReadOnlyList<string> Extensions { get; } = [".html", ".htm"];

    public string Description => "one self-contained page: the findings, a flame graph of syscalls by stack, a per-thread timeline";

    public ExporterInput Input => ExporterInput.RawEvents;

    public void Write(ReportContext context, Stream stream)
    {
        var snapshot = context.RequireSnapshot();
        var timeline = new ThreadTimeline(snapshot.StartNs, snapshot.EndNs);
        context.RequireEvents().ReplayTo(timeline);
        HtmlReportWriter.Write(context.Report, FlameGraph.Build(snapshot), timeline, stream);
    }
}
