namespace Advisor.Core.Findings;

/// <summary>
/// The measured facts behind a finding, as numbers a user (or a CI gate) can check. Built by name: a triage
/// finding knows threads and time blocked, a recorded one every number, and zero means "not measured here".
/// </summary>
public sealed record Evidence
{
    private static readonly IReadOnlyDictionary<string, long> NoErrors = new Dictionary<string, long>();

    public required IReadOnlyList<string> Syscalls { get; init; }

    public required long Count { get; init; }

    public long Errors { get; init; }

    public double RatePerSecond { get; init; }

    public long Bytes { get; init; }

    public double AverageBytes { get; init; }

    public double TotalTimeMs { get; init; }

    public double P50Us { get; init; }

    public double P99Us { get; init; }

    public double MaxMs { get; init; }

    public IReadOnlyDictionary<string, long> ErrorsByErrno { get; init; } = NoErrors;

    public int? Fd { get; init; }

    public string? Path { get; init; }

    public IReadOnlyList<ThreadShare> Threads { get; init; } = [];
}

/// <summary>One thread's part in a finding.</summary>
public sealed record ThreadShare(int Tid, string Name, string Role, long Count);
