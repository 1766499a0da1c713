using Advisor.Core.Processes;
using Advisor.Core.Runtime;
using Advisor.Core.Stacks;
using Advisor.Core.Syscalls;
using Advisor.Core.Threads;

namespace Advisor.Core.Aggregation;

/// <summary>
/// What the syscall aggregation learned, frozen: rows, fds, threads, the timeline. Stack ids are not named yet
/// and nothing of the runtime is joined: <see cref="Correlation.Correlator"/> makes an <see cref="AggregateSnapshot"/> of it.
/// </summary>
public record SyscallSnapshot(
    SyscallCatalog Catalog,
    IReadOnlyList<StatsRow> Rows,
    IReadOnlyList<FdSlot> Fds,
    IReadOnlyDictionary<int, FdRuns> RunsByFdSlot,
    IReadOnlyDictionary<int, FdTraffic> TrafficByFdSlot,
    IReadOnlyList<ThreadInfo> Threads,
    Timeline Timeline,
    long EventsTotal,
    long LostEvents,
    long StartNs,
    long EndNs)
{
    /// <summary>
    /// When the first call was recorded: an attach takes a moment after the aggregation starts, and what the
    /// runtime counted meanwhile (requests) must not be weighed against calls nobody recorded.
    /// </summary>
    public long FirstEventNs { get; init; }

    /// <summary>
    /// The calls the target made on the observer's fds (<see cref="FdSlot.Observer"/>: the runtime streaming its events
    /// to this tool), one row per key as in <see cref="Rows"/>. They are not in <see cref="Rows"/> nor in
    /// <see cref="EventsTotal"/>, so no rule, table, budget or baseline counts them; the report shows them apart.
    /// </summary>
    public IReadOnlyList<StatsRow> ObserverRows { get; init; } = [];

    /// <summary>Each stream socket's conversation (exchanges, waits for answers), by fd slot; either side's.</summary>
    public IReadOnlyDictionary<int, SocketConversation> ConversationsByFdSlot { get; init; } = new Dictionary<int, SocketConversation>();

    // Built for one Threads list: a copy made with `with { Threads = ... }` carries this field along.
    private (IReadOnlyList<ThreadInfo> For, Dictionary<int, ThreadInfo> ByTid)? _threadsByTid;

    public double DurationSeconds => Math.Max(0, EndNs - StartNs) / 1e9;

    /// <summary>The threads by id, built once: every finding looks its threads up here.</summary>
    public IReadOnlyDictionary<int, ThreadInfo> ThreadsByTid
    {
        get
        {
            if (_threadsByTid is not { } cached || !ReferenceEquals(cached.For, Threads))
            {
                _threadsByTid = cached = (Threads, Threads.ToDictionary(t => t.Tid));
            }

            return cached.ByTid;
        }
    }
}

/// <summary>
/// The syscalls joined with everything known beside them, for the rules and the reports: stacks named, the
/// runtime's events, the processes as the session identified them, the recorder's own cost.
/// </summary>
public sealed record AggregateSnapshot : SyscallSnapshot
{
    /// <summary>The syscalls with nothing joined to them (an strace import, a test): no named stacks, no runtime events.</summary>
    public AggregateSnapshot(SyscallSnapshot syscalls)
        : base(syscalls)
    {
    }

    /// <summary>The rows' stacks with their frames named.</summary>
    public CallStacks Stacks { get; init; } = CallStacks.None;

    /// <summary>The requests a server handled while its calls were recorded.</summary>
    public double RequestsRecorded => Runtime.Requests.Over(Math.Max(StartNs, FirstEventNs), EndNs);

    /// <summary>What the recorder added to each call's measured duration (see <see cref="Sources.TracerCost"/>); None when unknown.</summary>
    public Sources.TracerCost Tracer { get; init; } = Sources.TracerCost.None;

    /// <summary>The processes seen, by pid, as the session identified them; empty when it did not (replays of old recordings, tests).</summary>
    public IReadOnlyDictionary<int, TracedProcess> Processes { get; init; } = new Dictionary<int, TracedProcess>();

    /// <summary>What the runtime's own events (EventPipe) told; <see cref="RuntimeSnapshot.None"/> without them.</summary>
    public RuntimeSnapshot Runtime { get; init; } = RuntimeSnapshot.None;

    /// <summary>
    /// The process as findings and threads name it: as the session identified it, else by its main thread's
    /// name (the kernel's word, which outlives a short process).
    /// </summary>
    public Findings.ProcessRef ProcessOf(int pid) => new(pid, ProgramOf(pid));

    /// <summary>
    /// What a process runs, as grouping sees it: processes of one program are one (the children of a spawn
    /// storm, each gone in a millisecond), processes of different programs are not (a testhost and the SDK
    /// that started it). Its name as the session identified it, else the kernel's, else its pid.
    /// </summary>
    public string ProgramOf(int pid) =>
        Processes.TryGetValue(pid, out var process) ? process.Name
        : ThreadsByTid.TryGetValue(pid, out var main) ? main.Name
        : $"pid {pid}";
}
