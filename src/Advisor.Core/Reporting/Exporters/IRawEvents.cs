using Advisor.Core.Events;

namespace Advisor.Core.Reporting.Exporters;

/// <summary>The raw events of a recording, replayed in the order they were recorded (never all in memory).</summary>
public interface IRawEvents
{
    void ReplayTo(ISyscallSink sink);

    /// <summary>
    /// Writes the recording itself (<c>.advisor</c>): only a live recording can, with what /proc answered during it.
    /// </summary>
    /// <exception cref="Failures.AdvisorException">These events come from a file already (report FILE): exit 2.</exception>
    void WriteRecording(ReportContext context, Stream stream);
}
