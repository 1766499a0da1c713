using Advisor.Linux.Elf;

namespace Advisor.Linux.Unwinding;

/// <summary>
/// A module's call frame information (.eh_frame), parsed once: finds the unwind row in force at an address of
/// its code. Lookups do not allocate, so the stack walker can run them per frame of every sample.
/// </summary>
/// <remarks>Immutable once loaded: lookups may run on any number of threads at once.</remarks>
public sealed class CallFrameTable
{
    private readonly byte[] _section;
    private readonly ulong _sectionAddress;
    private readonly ulong _dataAddress;
    private readonly CommonInformationEntry[] _cies;
    private readonly FrameDescriptionEntry[] _fdes;
    private readonly LoadSegments _segments;

    private CallFrameTable(
        UnwindArchitecture architecture, string? buildId, byte[] section, ulong sectionAddress, ulong dataAddress, LoadSegments segments)
    {
        Architecture = architecture;
        BuildId = buildId;
        _section = section;
        _sectionAddress = sectionAddress;
        _dataAddress = dataAddress;
        _segments = segments;
        (_cies, _fdes) = EhFrameParser.Parse(section, sectionAddress, dataAddress);
    }

    public UnwindArchitecture Architecture { get; }

    /// <summary>The module's GNU build id as lowercase hex, or null when it has none.</summary>
    public string? BuildId { get; }

    /// <summary>How many functions (FDEs) the table describes.</summary>
    public int Count => _fdes.Length;

    /// <returns>
    /// The table, or null when the file is not a readable ELF64 little-endian x86-64 or arm64 file, or has no .eh_frame.
    /// </returns>
    public static CallFrameTable? Load(string path)
    {
        using var image = ElfImage.Open(path);
        if (image is null)
        {
            return null;
        }

        UnwindArchitecture? architecture = image.Machine switch
        {
            ElfImage.MachineX64 => UnwindArchitecture.X64,
            ElfImage.MachineArm64 => UnwindArchitecture.Arm64,
            _ => null,
        };
        if (architecture is not { } arch || image.FindSection(".eh_frame") is not { } ehFrame || image.ReadSection(ehFrame) is not { } bytes)
        {
            return null;
        }

        // Only DW_EH_PE_datarel pointers need it, and only .eh_frame_hdr's address, not its bytes.
        var dataAddress = image.FindSection(".eh_frame_hdr")?.Address ?? 0;
        return new CallFrameTable(arch, image.ReadBuildId(), bytes, ehFrame.Address, dataAddress, image.Loads);
    }

    /// <summary>Finds the row at a file offset (as /proc/PID/maps gives: address - mapping start + mapping offset).</summary>
    public bool TryFindByFileOffset(ulong fileOffset, out UnwindRow row)
    {
        if (_segments.TryToVirtualAddress(fileOffset, out var virtualAddress))
        {
            return TryFind(virtualAddress, out row);
        }

        row = default;
        return false;
    }

    /// <summary>Finds the row in force at a link-time address.</summary>
    /// <returns>
    /// False when no FDE covers the address. True with a <see cref="CfaRuleKind.Undefined"/> CFA when one does
    /// but its instructions could not be interpreted.
    /// </returns>
    public bool TryFind(ulong virtualAddress, out UnwindRow row)
    {
        var lo = 0;
        var hi = _fdes.Length - 1;
        while (lo <= hi)
        {
            var mid = (lo + hi) >>> 1;
            if (_fdes[mid].PcBegin <= virtualAddress)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        if (hi < 0 || virtualAddress >= _fdes[hi].PcEnd)
        {
            row = default;
            return false;
        }

        var fde = _fdes[hi];
        row = CallFrameInterpreter.Evaluate(_section, _sectionAddress, _dataAddress, _cies[fde.Cie], fde, virtualAddress, Architecture);
        return true;
    }
}
