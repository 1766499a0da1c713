namespace Advisor.Core.Aggregation;

/// <summary>Running totals of one aggregation key (thread × syscall × fd). Mutated in place on the hot path.</summary>
public struct SyscallStats
{
    public long Count;
    public long Errors;
    public long TotalNs;
    public long MaxNs;
    public long Bytes;

    /// <summary>Successful calls that returned 0: a poll or wait with nothing ready, a read at end of file.</summary>
    public long EmptyReturns;

    /// <summary>Mapping calls that mapped, committed or released at least <see cref="Syscalls.MemoryRange.LargeBytes"/>.</summary>
    public long LargeMaps;
}
