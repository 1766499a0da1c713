namespace Advisor.Core.Syscalls;

/// <summary>
/// What a memory-mapping call (mmap, munmap, mprotect, madvise) does to the process's memory, from its
/// arguments: how many bytes it maps, commits or gives back. Reservations and bookkeeping count nothing —
/// the GC reserves hundreds of GiB with PROT_NONE at start-up and marks ranges MADV_DONTDUMP, neither of
/// which touches memory — so a churn of real buffers stands out from the runtime's own start-up.
/// </summary>
public static class MemoryRange
{
    /// <summary>A call over at least this many bytes is a large buffer's worth (the <c>largeMaps</c> metric).</summary>
    public const long LargeBytes = 1L << 20;

    private const ulong ProtNone = 0;
    private const ulong MadvDontNeed = 4;
    private const ulong MadvFree = 8;
    private const ulong MadvRemove = 9;

    /// <summary>Bytes the call mapped, committed or released; 0 when it only reserved, fenced or annotated.</summary>
    public static long TouchedBytes(SyscallTraits traits, ulong length, ulong arg2)
    {
        if ((traits & SyscallTraits.MapsLengthArg1) == 0
            || ((traits & SyscallTraits.ProtectionArg2) != 0 && arg2 == ProtNone)
            || ((traits & SyscallTraits.AdviceArg2) != 0 && arg2 is not (MadvDontNeed or MadvFree or MadvRemove)))
        {
            return 0;
        }

        return (long)Math.Min(length, long.MaxValue);
    }
}
