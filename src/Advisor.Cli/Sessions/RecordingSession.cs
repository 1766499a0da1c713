using System.Globalization;
using Advisor.Cli.CommandLine;
using Advisor.Core.Aggregation;
using Advisor.Core.Correlation;
using Advisor.Core.Events;
using Advisor.Core.Recording;
using Advisor.Core.Reporting;
using Advisor.Core.Reporting.Exporters;
using Advisor.Core.Stacks;
using Advisor.Core.Syscalls;
using Advisor.Core.Targets;
using Advisor.Linux.Backends;
using Advisor.Linux.Procfs;
using Advisor.Linux.Syscalls;
using Advisor.Runtime.Discovery;
using Advisor.Runtime.EventPipe;
using Advisor.Runtime.Symbols;

namespace Advisor.Cli.Sessions;

/// <summary>
/// The parts one recording wires together: the syscall aggregation and its stack table, the runtime
/// recorder, and the process maps that name native frames at the end.
/// </summary>
internal sealed class RecordingSession : IAsyncDisposable
{
    private readonly StackTable? _stacks;
    private readonly RecordingIntrospector? _answers;
    private readonly RecordingTee? _tee;

    /// <param name="recordings">The outputs drawn from raw events (<c>.advisor</c>, <c>.trace.json</c>): the events are kept for them.</param>
    public RecordingSession(bool stacks, RuntimeRecorder runtime, IReadOnlyList<string> recordings)
    {
        _stacks = stacks ? new StackTable() : null;
        Runtime = runtime;
        var live = new ProcfsIntrospector();
        _answers = recordings.Count == 0 ? null : new RecordingIntrospector(live);
        Aggregator = new SyscallAggregator(
            new SyscallCatalog(LinuxTables.Current, LinuxTables.CurrentErrno), (ITargetIntrospector?)_answers ?? live, MonotonicClock.NowNs());
        if (recordings.Count > 0)
        {
            // Spilled beside the first recording, so the final file is a rename on the same file system away.
            var first = Path.GetFullPath(recordings[0]);
            _tee = new RecordingTee(Aggregator, Path.Combine(Path.GetDirectoryName(first)!, $".{Path.GetFileName(first)}.{Environment.ProcessId}.events"));
        }
    }

    public SyscallAggregator Aggregator { get; }

    /// <summary>Where the source delivers: the aggregation, through the recording's tee when there is one.</summary>
    public ISyscallSink Sink => (ISyscallSink?)_tee ?? Aggregator;

    public RuntimeRecorder Runtime { get; }

    public MapsHistory Maps { get; } = new();

    /// <summary>The syscall source the options ask for, recording stacks into this session's table when it keeps them.</summary>
    public BackendRequest Backend(RecordingChoice options) => new(options.Backend, _stacks, options.SampleRateHz, options.StackMode);

    /// <summary>
    /// Ends the runtime side and joins it with the syscalls: stacks named, runtime events attached, every
    /// note on what was not seen gathered in the order the report shows them.
    /// </summary>
    /// <param name="backend">The source that recorded, and what it said when it was chosen.</param>
    /// <param name="target">The target as the session identified it (whether it is .NET decides what the runtime side gives).</param>
    /// <param name="tree">The processes seen beside the target; they name the report's threads and findings.</param>
    /// <param name="sessionNotes">What the command knows that the recording does not (how it ended).</param>
    public async Task<RecordingResult> FinishAsync(
        RecordingOutcome outcome,
        (string Name, IReadOnlyList<string> Notes) backend,
        TargetInfo target,
        IReadOnlyDictionary<string, string>? targetEnvironment,
        ProcessTree tree,
        IEnumerable<string> sessionNotes)
    {
        var exited = outcome.Reason == StopReason.TargetExited || !ProcTasks.ProcessExists(target.Pid);
        if (!exited)
        {
            Maps.Capture(target.Pid);
        }

        // The backend measures its own cost meanwhile (see SourceStatistics.Tracer).
        var runtimeNotes = await Runtime.StopAsync(exited, target.IsDotNet, targetEnvironment).ConfigureAwait(false);
        var tracer = await outcome.Statistics.Tracer.ConfigureAwait(false);
        var symbolizer = new StackSymbolizer(Runtime.Methods, Maps, target.Pid);
        var snapshot = Correlator.Join(outcome.Syscalls, _stacks ?? new StackTable(), Runtime.Events.Snapshot(), Runtime.Events.Stacks, symbolizer) with
        {
            Tracer = tracer,
            Processes = tree.Describe(),
        };

        var notes = new List<string>(outcome.Statistics.Notes);
        notes.AddRange(backend.Notes);
        notes.AddRange(runtimeNotes);
        notes.AddRange(sessionNotes);
        if (outcome.Statistics.Lost > 0)
        {
            notes.Add(string.Create(
                CultureInfo.InvariantCulture, $"{outcome.Statistics.Lost:N0} syscall records were lost (ring buffers full): counts are lower bounds"));
        }

        if (!target.IsDotNet)
        {
            notes.Add("the target did not load the .NET runtime: findings come from its syscalls alone");
        }

        return new RecordingResult(snapshot, backend.Name, outcome.Reason, notes);
    }

    /// <summary>The raw events this session kept (see <see cref="RecordingSession(bool, RuntimeRecorder, IReadOnlyList{string})"/>); null when none were asked for.</summary>
    public IRawEvents? Events => _tee is null || _answers is null ? null : new KeptEvents(_tee, _answers);

    public ValueTask DisposeAsync()
    {
        _tee?.Dispose();
        return Runtime.DisposeAsync();
    }

    /// <summary>The events the tee spilled, replayed for the raw-event formats, and the recording file made of them.</summary>
    private sealed class KeptEvents(RecordingTee tee, RecordingIntrospector answers) : IRawEvents
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
}
