namespace Advisor.Core.Rules;

/// <summary>
/// A C# analyser a rule file may hand its hang verdict to (<c>analyser: stuck-io</c>), as rules see it: its name and
/// the thresholds it reads, which the loader requires the rule to give. As Roslyn's DiagnosticDescriptor stands apart
/// from the analyzer that reports it, the description lives here and the code that decides in Core/Hang/Verdicts
/// (<c>HangAnalysers</c> pairs each descriptor with its analyser), so rules load without knowing how hangs are judged.
/// </summary>
/// <param name="Name">Its name in rule files' <c>analyser:</c>.</param>
/// <param name="Thresholds">The thresholds it reads; a rule naming it must give each one.</param>
public sealed record AnalyserDescriptor(string Name, IReadOnlyList<AnalyserThreshold> Thresholds)
{
    public static readonly AnalyserThreshold MinBlockedWorkers = new("minBlockedWorkers", "pool workers blocked inside work items when the triage looks");

    public static readonly AnalyserThreshold MinBlockedShare = new("minBlockedShare", "share of the pool's workers blocked inside work items when the triage looks");

    public static readonly AnalyserThreshold MinBlockedMs = new("minBlockedMs", "time a thread has been inside one blocking call");

    /// <summary>A cycle of threads each waiting for a lock another holds.</summary>
    public static readonly AnalyserDescriptor LockCycle = new("lock-cycle", []);

    /// <summary>Pool workers blocked inside work items.</summary>
    public static readonly AnalyserDescriptor StarvedPool = new("starved-pool", [MinBlockedWorkers, MinBlockedShare]);

    /// <summary>Threads stuck in one I/O call.</summary>
    public static readonly AnalyserDescriptor StuckIo = new("stuck-io", [MinBlockedMs]);

    public static readonly IReadOnlyList<AnalyserDescriptor> All = [LockCycle, StarvedPool, StuckIo];

    public static AnalyserDescriptor? Find(string name) => All.FirstOrDefault(a => string.Equals(a.Name, name, StringComparison.Ordinal));
}
