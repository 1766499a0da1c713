using Advisor.Core.Aggregation;
using Advisor.Core.Events;
using Advisor.Core.Reporting;
using Advisor.Core.Reporting.Exporters;

namespace Advisor.Core.Recording;

/// <summary>
/// What a live recording kept for the outputs drawn from raw events: every call, as its tee spilled them, and every
/// answer /proc gave while it ran, which a replay of the same events needs to reach the same findings.
/// </summary>
/// <param name="architecture">The machine's syscall table (x86_64, arm64), which names the calls in a replay.</param>
public sealed class KeptEvents(RecordingTee tee, IReadOnlyList<IntrospectionAnswer> answers, string architecture) : IRawEvents
{
    public void ReplayTo(ISyscallSink sink) => tee.ReplayTo(sink);

    /// <summary>
    /// Writes the <c>.advisor</c> file: the report's view of the target and the session, the snapshot's named stacks
    /// and runtime events, the answers, then the events. With <paramref name="redact"/>, the fd descriptions /proc gave
    /// and the paths open calls were given are hashed, as the report already hashed what it names (a replay names an fd
    /// by either, whichever the live run had).
    /// </summary>
    public void WriteRecording(AdvisorReport report, AggregateSnapshot snapshot, bool redact, Stream stream)
    {
        var metadata = new RecordingMetadata(
            report.Tool.Version, architecture, report.Target, report.Session.Backend, snapshot.StartNs, snapshot.EndNs, snapshot.LostEvents, report.Session.Notes)
        {
            Tracer = snapshot.Tracer,
        };
        var analysis = new RecordedAnalysis(snapshot.Stacks.ById, snapshot.Runtime, snapshot.Runtime.Stacks.ById, snapshot.Threads)
        {
            Processes = snapshot.Processes,
        };
        var kept = redact
            ? answers.Select(a => a is { Kind: IntrospectionQuestion.DescribeFd or IntrospectionQuestion.PathGivenToOpen, Text: { } text } ? a with { Text = Redaction.Token(text) } : a).ToList()
            : answers;
        RecordingFile.Write(stream, metadata, tee.OpenEvents(), tee.Events, kept, analysis);
    }
}
