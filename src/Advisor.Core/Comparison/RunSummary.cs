namespace Advisor.Core.Comparison;

/// <summary>One of the two runs, as the diff's header names it.</summary>
/// <param name="Source">What it was read from: "recording" (analysed again with today's rules), "strace log" or "report" (a JSON report, its findings as written).</param>
/// <param name="Program">The program it ran, as the runs are matched by (<see cref="SameWork.Program"/>): <c>UnbufferedWriter</c> for <c>dotnet UnbufferedWriter.dll</c>.</param>
/// <param name="Requests">Requests the service handled; null when it reported none.</param>
public sealed record RunSummary(
    string Source,
    string Path,
    int Pid,
    string Name,
    string Program,
    string CommandLine,
    string Backend,
    double DurationSeconds,
    long EventsTotal,
    long LostEvents,
    long? Requests,
    int Findings);
