namespace Advisor.Core.Sources;

/// <summary>
/// What recording adds to each call's measured duration, measured on this machine with the same recorder
/// settings: the time between the enter and the exit timestamps that belongs to the recorder (the records
/// written, the stack walked when it is), not to the call. Taken out of a call's measured cost, and the crossing
/// into the kernel and back (outside the timestamps, but saved too when a call is avoided) put in, it gives what
/// avoiding the call saves when the program runs without the tool.
/// </summary>
/// <param name="InWindowNs">Recorder time inside the timestamps of every call.</param>
/// <param name="StackNs">More for a call whose stack was walked, beside its frames.</param>
/// <param name="PerFrameNs">More per user stack frame walked.</param>
/// <param name="CrossingNs">A trivial call's whole cost without the recorder: the way into the kernel and back.</param>
public sealed record TracerCost(double InWindowNs, double StackNs, double PerFrameNs, double CrossingNs)
{
    /// <summary>Nothing known: measured durations are taken as they are (replays of old recordings, logs, tests).</summary>
    public static TracerCost None { get; } = new(0, 0, 0, 0);

    public bool Known => this != None;

    /// <summary>The recorder's part of a call's measured duration, when <paramref name="stackedShare"/> of the calls had a stack of <paramref name="frames"/> frames walked.</summary>
    public double OverheadNs(double stackedShare, double frames) => InWindowNs + (stackedShare * (StackNs + (PerFrameNs * frames)));

    /// <summary>What a call measured at <paramref name="measuredNs"/> costs without the recorder.</summary>
    public double BareCostNs(double measuredNs, double stackedShare, double frames) =>
        Known ? Math.Max(0, measuredNs - OverheadNs(stackedShare, frames)) + CrossingNs : measuredNs;
}
