namespace Advisor.Core.Findings;

/// <summary>The measured facts behind a finding, as numbers a user (or a CI gate) can check.</summary>
public sealed record Evidence(
    IReadOnlyList<string> Syscalls,
    long Count,
    long Errors,
    double RatePerSecond,
    long Bytes,
    double AverageBytes,
    double TotalTimeMs,
    double P50Us,
    double P99Us,
    double MaxMs,
    IReadOnlyDictionary<string, long> ErrorsByErrno,
    int? Fd,
    string? Path,
    IReadOnlyList<ThreadShare> Threads);

/// <summary>One thread's part in a finding.</summary>
public sealed record ThreadShare(int Tid, string Name, string Role, long Count);
