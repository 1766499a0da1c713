namespace Advisor.Core.Events;

/// <summary>Receives runtime events as they are parsed. May be called from several session threads.</summary>
public interface IRuntimeEventSink
{
    /// <summary>A runtime session is delivering (even if no event of interest ever comes).</summary>
    void OnSessionStarted();

    /// <param name="stack">The managed instruction pointers the runtime walked for the event (innermost
    /// first), empty when the session does not collect stacks.</param>
    void OnRuntimeEvent(in RuntimeEvent e, ReadOnlySpan<ulong> stack);
}
