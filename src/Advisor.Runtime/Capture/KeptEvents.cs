using Advisor.Core.Events;
using Advisor.Core.Recording;
using Advisor.Core.Reporting;
using Advisor.Core.Reporting.Exporters;
using Advisor.Linux.Syscalls;

namespace Advisor.Runtime.Capture;

/// <summary>The events a capture's tee spilled, replayed for the raw-event formats, and the recording file made of them.</summary>
internal sealed class KeptEvents(RecordingTee tee, RecordingIntrospector answers) : IRawEvents
{
    public void ReplayTo(ISyscallSink sink) => tee.ReplayTo(sink);

    /// <summary>
    /// With --redact, the fd descriptions /proc gave and the paths open calls were given are hashed, as the report
    /// already hashed what it names (a replay names an fd by either, whichever the live run had).
    /// </summary>
    public void WriteRecording(ReportContext context, Stream stream)
    {
        var report = context.Report;
        var snapshot = context.RequireSnapshot();
        var metadata = new RecordingMetadata(
            report.Tool.Version, LinuxTables.CurrentArchitecture(), report.Target, report.Session.Backend, snapshot.StartNs, snapshot.EndNs, snapshot.LostEvents, report.Session.Notes)
        {
            Tracer = snapshot.Tracer,
        };
        var analysis = new RecordedAnalysis(snapshot.Stacks.ById, snapshot.Runtime, snapshot.Runtime.Stacks.ById, snapshot.Threads)
        {
            Processes = snapshot.Processes,
        };
        var kept = context.Redact
            ? answers.Answers.Select(a => a is { Kind: IntrospectionQuestion.DescribeFd or IntrospectionQuestion.PathGivenToOpen, Text: { } text } ? a with { Text = Redaction.Token(text) } : a).ToList()
            : answers.Answers;
        RecordingFile.Write(stream, metadata, tee.OpenEvents(), tee.Events, kept, analysis);
    }
}
