namespace Advisor.Linux.Elf;

/// <summary>The PT_LOAD segments of a file: how a file offset (as /proc/PID/maps gives it) becomes a link-time address.</summary>
public sealed class LoadSegments(ElfSegment[] segments)
{
    public IReadOnlyList<ElfSegment> Segments => segments;

    /// <returns>False when the offset is in no segment's file bytes.</returns>
    public bool TryToVirtualAddress(ulong fileOffset, out ulong virtualAddress)
    {
        foreach (var segment in segments)
        {
            if (fileOffset >= segment.Offset && fileOffset - segment.Offset < segment.FileSize)
            {
                virtualAddress = segment.VirtualAddress + (fileOffset - segment.Offset);
                return true;
            }
        }

        virtualAddress = 0;
        return false;
    }
}
