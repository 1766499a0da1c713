using Advisor.Core.Aggregation;
using Advisor.Core.Findings;

namespace Advisor.Core.Monitoring;

/// <summary>One judged interval of one watched process, as every monitor output sees it.</summary>
/// <param name="Process">What the process runs ("MyService", not "dotnet").</param>
/// <param name="Syscalls">The interval's calls, frozen.</param>
/// <param name="Active">The findings in force after this interval, each as last seen.</param>
/// <param name="Changes">What this interval raised, then what it cleared.</param>
/// <param name="RecorderCpuSeconds">The tool's own CPU time since it started (one tool watches every process).</param>
/// <param name="Exited">The process exited during the interval: this is its last one.</param>
/// <param name="Coverage">
/// The share of the interval its calls were recorded in (monitor records a window of each interval where the
/// backend can pause): 1 when recorded throughout. Counters exported as totals are the calls divided by it.
/// </param>
public sealed record IntervalOutcome(
    int Pid,
    string Process,
    SyscallSnapshot Syscalls,
    IReadOnlyList<Finding> Active,
    IReadOnlyList<FindingTransition> Changes,
    double RecorderCpuSeconds,
    bool Exited,
    double Coverage = 1);
