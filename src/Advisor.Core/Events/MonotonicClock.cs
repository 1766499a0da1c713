using System.Diagnostics;

namespace Advisor.Core.Events;

/// <summary>
/// CLOCK_MONOTONIC in nanoseconds: the clock perf stamps events with (use_clockid) and EventPipe uses on
/// Linux, and the one .NET's Stopwatch reads there, so all three can be compared directly.
/// </summary>
public static class MonotonicClock
{
    public static long NowNs() => (long)(Stopwatch.GetTimestamp() * (1e9 / Stopwatch.Frequency));
}
