using Advisor.Core.Events;

namespace Advisor.Core.Reporting.Exporters;

/// <summary>The raw events of a recording, replayed in the order they were recorded (never all in memory).</summary>
public interface IRawEvents
{
    void ReplayTo(ISyscallSink sink);
}
