namespace Advisor.Linux.ProcSampling;

/// <summary>How the /proc backend samples.</summary>
/// <param name="RateHz">Samples per second of every thread's counters and current syscall.</param>
public sealed record ProcOptions(int RateHz = ProcOptions.DefaultRateHz)
{
    public const int DefaultRateHz = 100;

    public const int MinRateHz = 1;
    public const int MaxRateHz = 1000;

    public static ProcOptions Default { get; } = new();
}
