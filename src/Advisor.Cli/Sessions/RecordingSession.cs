using Advisor.Core.Aggregation;
using Advisor.Core.Correlation;
using Advisor.Core.Events;
using Advisor.Core.Stacks;
using Advisor.Core.Syscalls;
using Advisor.Linux.Perf;
using Advisor.Linux.Procfs;
using Advisor.Linux.Syscalls;
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

    public RecordingSession(bool stacks, RuntimeRecorder runtime)
    {
        _stacks = stacks ? new StackTable() : null;
        Runtime = runtime;
        Aggregator = new SyscallAggregator(
            new SyscallCatalog(LinuxTables.Current, LinuxTables.CurrentErrno), new ProcfsIntrospector(), MonotonicClock.NowNs());
    }

    public SyscallAggregator Aggregator { get; }

    public RuntimeRecorder Runtime { get; }

    public MapsHistory Maps { get; } = new();

    public PerfOptions PerfOptions => new(Stacks: _stacks);

    /// <summary>
    /// Ends the runtime side and joins it with the syscalls: stacks named, runtime events attached.
    /// </summary>
    /// <returns>The joined snapshot and notes on what the runtime side could not give.</returns>
    public async Task<(AggregateSnapshot Snapshot, IReadOnlyList<string> Notes)> FinishAsync(
        RecordingOutcome outcome, int pid, bool targetIsDotNet, IReadOnlyDictionary<string, string>? targetEnvironment)
    {
        var exited = outcome.Reason == StopReason.TargetExited || !ProcTasks.ProcessExists(pid);
        if (!exited)
        {
            Maps.Capture(pid);
        }

        var notes = await Runtime.StopAsync(exited, targetIsDotNet, targetEnvironment).ConfigureAwait(false);
        var symbolizer = new StackSymbolizer(Runtime.Methods, Maps);
        var snapshot = Correlator.Join(
            outcome.Snapshot, _stacks ?? new StackTable(), Runtime.Events.Snapshot(), Runtime.Events.Stacks, symbolizer);
        return (snapshot, notes);
    }

    public ValueTask DisposeAsync() => Runtime.DisposeAsync();
}
