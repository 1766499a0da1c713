using Advisor.Core.Events;
using Advisor.Core.Stacks;

namespace Advisor.Core.Runtime;

/// <summary>What the .NET runtime's own events told during the recording.</summary>
/// <param name="Available">False when no runtime session ran (not .NET, diagnostics disabled, failure).</param>
/// <param name="Counts">Events received, by kind.</param>
/// <param name="PoolWorkerTids">Threads the runtime showed acting as thread-pool workers.</param>
public sealed record RuntimeSnapshot(
    bool Available,
    IReadOnlyDictionary<RuntimeEventKind, long> Counts,
    ContentionSummary Contention,
    ThreadPoolSummary ThreadPool,
    GcSummary Gc,
    long Exceptions,
    IReadOnlySet<int> PoolWorkerTids)
{
    public static RuntimeSnapshot None { get; } = new(
        false,
        new Dictionary<RuntimeEventKind, long>(),
        ContentionSummary.Empty,
        ThreadPoolSummary.Empty,
        GcSummary.Empty,
        0,
        new HashSet<int>());

    /// <summary>Where pool workers blocked (Task.Wait, .Result, wait handles), by stack, most first.</summary>
    public IReadOnlyList<WaitSite> PoolBlockedSites { get; init; } = [];

    /// <summary>The requests an ASP.NET Core server handled, from its hosting counters; <see cref="ServerRequests.None"/> elsewhere.</summary>
    public ServerRequests Requests { get; init; } = ServerRequests.None;

    /// <summary>The contention stacks with their frames named; set once symbolised at report time.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public CallStacks Stacks { get; init; } = CallStacks.None;

    public long CountOf(RuntimeEventKind kind) => Counts.GetValueOrDefault(kind);
}
