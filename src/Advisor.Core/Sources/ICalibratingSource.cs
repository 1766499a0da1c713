namespace Advisor.Core.Sources;

/// <summary>
/// A source that can measure what it adds to each call it records (<see cref="TracerCost"/>) while it keeps
/// recording: a watch that never stops (<c>monitor</c>) asks once, where a recording gets it from
/// <see cref="SourceStatistics.Tracer"/> when it stops.
/// </summary>
public interface ICalibratingSource
{
    /// <summary>Measures on a thread of the tool's own, started now; <see cref="TracerCost.None"/> when it cannot.</summary>
    Task<TracerCost> MeasureCost();
}
