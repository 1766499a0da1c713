using System.Runtime.InteropServices;

namespace Advisor.Linux.Perf;

/// <summary>
/// <c>struct perf_event_attr</c> (linux/perf_event.h), at PERF_ATTR_SIZE_VER8. A kernel older than this
/// layout accepts it as long as the fields it does not know are zero.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal struct PerfEventAttr
{
    public uint Type;
    public uint Size;
    public ulong Config;
    public ulong SamplePeriod;
    public ulong SampleType;
    public ulong ReadFormat;
    public ulong Flags;
    /// <summary>wakeup_events, or wakeup_watermark (bytes) when <see cref="PerfFlags.Watermark"/> is set.</summary>
    public uint WakeupEventsOrWatermark;
    public uint BpType;
    public ulong Config1;
    public ulong Config2;
    public ulong BranchSampleType;
    public ulong SampleRegsUser;
    public uint SampleStackUser;
    public int ClockId;
    public ulong SampleRegsIntr;
    public uint AuxWatermark;
    public ushort SampleMaxStack;
    public ushort Reserved2;
    public uint AuxSampleSize;
    public uint Reserved3;
    public ulong SigData;
    public ulong Config3;
}

/// <summary>The bit-field flags word of perf_event_attr.</summary>
[Flags]
internal enum PerfFlags : ulong
{
    Disabled = 1UL << 0,
    Inherit = 1UL << 1,
    ExcludeHv = 1UL << 6,
    Comm = 1UL << 9,
    EnableOnExec = 1UL << 12,
    Watermark = 1UL << 14,
    SampleIdAll = 1UL << 18,
    ExcludeCallchainKernel = 1UL << 21,
    ExcludeCallchainUser = 1UL << 22,
    UseClockId = 1UL << 25,
}

/// <summary>PERF_SAMPLE_* bits: which fields a sample record carries, in the kernel's fixed order.</summary>
[Flags]
internal enum PerfSample : ulong
{
    Tid = 1UL << 1,
    Time = 1UL << 2,
    Callchain = 1UL << 5,
    Raw = 1UL << 10,
    RegsUser = 1UL << 12,
    StackUser = 1UL << 13,
    Identifier = 1UL << 16,
}

internal static class PerfConstants
{
    public const uint TypeTracepoint = 2;
    public const ulong FlagFdCloexec = 8;
    public const int ClockMonotonic = 1;

    public const uint RecordLost = 2;
    public const uint RecordComm = 3;
    public const uint RecordSample = 9;
    public const uint RecordLostSamples = 13;

    public const ulong IocEnable = 0x2400;
    public const ulong IocDisable = 0x2401;
    public const ulong IocSetOutput = 0x2405;
    public const ulong IocId = 0x80082407;

    /// <summary>Offsets in <c>struct perf_event_mmap_page</c>.</summary>
    public const int MmapDataHead = 1024;
    public const int MmapDataTail = 1032;
    public const int MmapDataOffset = 1040;
    public const int MmapDataSize = 1048;
}
