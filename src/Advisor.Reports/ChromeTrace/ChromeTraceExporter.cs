using Advisor.Core.Reporting.Exporters;

namespace Advisor.Reports.ChromeTrace;

/// <summary><c>-o NAME.trace.json</c>: every syscall and the runtime's events on one timeline.</summary>
public sealed class ChromeTraceExporter : IReportExporter
{
    public string Name => "chrome-trace";

    public IReadOnlyList<string> Extensions { get; } = [".trace.json"];

    public string Description => "a Chrome trace of every syscall and the runtime's events, for Perfetto and chrome://tracing";

    public ExporterInput Input => ExporterInput.RawEvents;

    public void Write(ReportContext context, Stream stream)
    {
        var snapshot = context.RequireSnapshot();
        // The events are read again, straight into the trace: they are never all in memory.
        using var trace = new ChromeTraceWriter(stream, snapshot.Catalog, snapshot.StartNs);
        context.RequireEvents().ReplayTo(trace);
        trace.Finish(context.Report);
    }
}
