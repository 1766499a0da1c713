namespace Advisor.Core.Sources;

/// <summary>
/// What recording adds to each call's measured duration, measured on this machine with the same recorder
/// settings: the time between the enter and the exit timestamps that belongs to the recorder (the enter
/// sample written, the stack walked), not to the call. Taken out of a call's measured cost, and the crossing
/// into the kernel and back (outside the timestamps, but saved too when a call is avoided) put in, it gives
/// what avoiding the call saves when the program runs without the tool.
/// </summary>
/// <param name="InWindowNs">Recorder time inside the timestamps for a call with no user stack frames.</param>
/// <param name="PerFrameNs">Recorder time per user stack frame walked.</param>
/// <param name="CrossingNs">A trivial call's whole cost without the recorder: the way into the kernel and back.</param>
public sealed record TracerCost(double InWindowNs, double PerFrameNs, double CrossingNs)
{
    /// <summary>Nothing known: measured durations are taken as they are (replays of old recordings, logs, tests).</summary>
    public static TracerCost None { get; } = new(0, 0, 0);

    public bool Known => this != None;

    /// <summary>The recorder's part of a call's measured duration, for a stack of <paramref name="frames"/> frames.</summary>
    public double OverheadNs(double frames) => InWindowNs + (PerFrameNs * frames);

    /// <summary>What a call measured at <paramref name="measuredNs"/> (with that many stack frames) costs without the recorder.</summary>
    public double BareCostNs(double measuredNs, double frames) =>
        Known ? Math.Max(0, measuredNs - OverheadNs(frames)) + CrossingNs : measuredNs;
}
