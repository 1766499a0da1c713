namespace Advisor.Core.Comparison;

/// <summary>The runtime's totals in both runs, per second (or per request); present when both runs had a runtime session.</summary>
/// <param name="MaxWorkers">The most pool workers at once: a level, not a rate.</param>
public sealed record RuntimeChange(
    Change Contentions,
    Change ContentionWaitMs,
    Change PoolWorkItems,
    Change PoolBlockedWaits,
    Change PoolInjections,
    Change MaxWorkers,
    Change Gcs,
    Change Gen2Gcs,
    Change Exceptions);
