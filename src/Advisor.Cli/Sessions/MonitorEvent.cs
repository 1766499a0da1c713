namespace Advisor.Cli.Sessions;

/// <summary>
/// What <c>monitor</c>'s one loop handles (<see cref="MonitorWorkflow"/>): each clock, process exit, discovery and
/// collection posts one to the loop's channel, and the loop handles them one at a time, in the order they came.
/// </summary>
internal abstract record MonitorEvent
{
    /// <summary>An interval is over: every watch is judged, then records again. <paramref name="Interval"/> numbers it, so a late clock of an earlier one is told apart.</summary>
    public sealed record IntervalEnded(int Interval) : MonitorEvent;

    /// <summary>The recorded part of the interval numbered <paramref name="Interval"/> is over (<c>--record-for</c>): the watches pause and are judged.</summary>
    public sealed record WindowEnded(int Interval) : MonitorEvent;

    /// <summary>Ctrl+C, SIGTERM or <c>--duration</c>: the watches are judged a last time and let go.</summary>
    public sealed record StopAsked(string Why) : MonitorEvent;

    /// <summary>A watched process exited.</summary>
    public sealed record ProcessExited(int Pid) : MonitorEvent;

    /// <summary>Time for <c>--all</c> to look for .NET processes that started.</summary>
    public sealed record DiscoveryDue : MonitorEvent;

    /// <summary>A collection under way in the background finished: say what it saved, on the loop's thread.</summary>
    public sealed record CollectionFinished : MonitorEvent;
}
