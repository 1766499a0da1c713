namespace Advisor.Core.Aggregation;

/// <summary>Running totals of one aggregation key (thread × syscall × fd). Mutated in place on the hot path.</summary>
public struct SyscallStats
{
    public long Count;
    public long Errors;
    public long TotalNs;
    public long MaxNs;
    public long Bytes;
}
