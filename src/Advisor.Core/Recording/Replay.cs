using Advisor.Core.Aggregation;
using Advisor.Core.Stacks;
using Advisor.Core.Syscalls;

namespace Advisor.Core.Recording;

/// <summary>
/// Turns a recording back into the snapshot the live run analysed: its events through a fresh aggregation
/// that gets the recorded /proc answers, then the stacks, runtime events and threads the live run had.
/// Today's rules and options then apply to it as to a live snapshot.
/// </summary>
public static class Replay
{
    /// <param name="catalogFor">The syscall catalogue of the recording's architecture.</param>
    public static (AggregateSnapshot Snapshot, RecordingMetadata Metadata) Load(string path, Func<string, SyscallCatalog> catalogFor)
    {
        ArgumentNullException.ThrowIfNull(catalogFor);
        SyscallAggregator? aggregator = null;
        var recording = RecordingFile.Read(path, (metadata, answers) =>
            aggregator = new SyscallAggregator(catalogFor(metadata.Architecture), new ReplayIntrospector(answers), metadata.OriginNs));
        var meta = recording.Metadata;
        aggregator!.OnLost(meta.LostEvents);
        var analysis = recording.Analysis;
        var snapshot = new AggregateSnapshot(aggregator.Snapshot(meta.EndNs))
        {
            Threads = analysis.Threads,
            Stacks = new CallStacks(analysis.Stacks),
            Runtime = analysis.Runtime with { Stacks = new CallStacks(analysis.RuntimeStacks) },
            Processes = analysis.Processes ?? new Dictionary<int, Processes.TracedProcess>(),
            Tracer = meta.Tracer ?? Sources.TracerCost.None,
        };
        return (snapshot, meta);
    }
}
