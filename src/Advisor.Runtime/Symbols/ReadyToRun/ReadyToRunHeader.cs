using System.Buffers.Binary;
using System.Collections.Immutable;
using System.Reflection.PortableExecutable;

namespace Advisor.Runtime.Symbols.ReadyToRun;

/// <summary>A ReadyToRun image's header: its flags and where each of its sections is (RVA and size).</summary>
internal sealed record ReadyToRunHeader(ushort MajorVersion, ushort MinorVersion, uint Flags, IReadOnlyDictionary<int, (int Rva, int Size)> Sections)
{
    private const uint Signature = 0x00525452; // "RTR"
    private const int FixedSize = 16;
    private const int SectionEntrySize = 12;

    // Beyond any real section (CoreLib's largest, DebugInfo, is ~1.3 MB); a corrupt size cannot make us copy more.
    private const int MaxSectionBytes = 64 << 20;

    // Far more than the ~20 section types the format has; a corrupt count must not make us read megabytes.
    private const int MaxSections = 256;

    /// <summary>A component of a composite image: its code is in another file (the composite).</summary>
    private const uint ComponentFlag = 0x20;

    /// <summary>
    /// Whether the image holds its own code for its own methods. A composite image holds several assemblies'
    /// code behind per-component headers, and a component's header only names the composite: neither is read.
    /// </summary>
    public bool IsSingleImage =>
        (Flags & ComponentFlag) == 0
        && !Sections.ContainsKey((int)ReadyToRunSectionType.ComponentAssemblies)
        && !Sections.ContainsKey((int)ReadyToRunSectionType.OwnerCompositeExecutable);

    /// <summary>A copy of a section's bytes; empty when the image lacks it or it lies outside the file.</summary>
    public ImmutableArray<byte> SectionBytes(PEReader pe, ReadyToRunSectionType type)
    {
        ArgumentNullException.ThrowIfNull(pe);
        if (!Sections.TryGetValue((int)type, out var section) || section.Size > MaxSectionBytes)
        {
            return [];
        }

        var block = pe.GetSectionData(section.Rva);
        return block.Length >= section.Size ? block.GetContent(0, section.Size) : [];
    }

    /// <summary>
    /// The header the CLI header's ManagedNativeHeader directory points to, or null when there is none (an IL-only
    /// assembly) or it is not a ReadyToRun header.
    /// </summary>
    public static ReadyToRunHeader? Find(PEReader pe)
    {
        ArgumentNullException.ThrowIfNull(pe);
        var directory = pe.PEHeaders.CorHeader?.ManagedNativeHeaderDirectory;
        if (directory is not { RelativeVirtualAddress: > 0, Size: >= FixedSize } native)
        {
            return null;
        }

        var block = pe.GetSectionData(native.RelativeVirtualAddress);
        var length = Math.Min(native.Size, block.Length);
        if (length < FixedSize)
        {
            return null;
        }

        var bytes = block.GetContent(0, Math.Min(length, FixedSize + (MaxSections * SectionEntrySize))).AsSpan();
        if (BinaryPrimitives.ReadUInt32LittleEndian(bytes) != Signature)
        {
            return null;
        }

        var count = Math.Min(BinaryPrimitives.ReadUInt32LittleEndian(bytes[12..]), (uint)((bytes.Length - FixedSize) / SectionEntrySize));
        var sections = new Dictionary<int, (int Rva, int Size)>();
        for (var i = 0; i < count; i++)
        {
            var entry = bytes.Slice(FixedSize + (i * SectionEntrySize), SectionEntrySize);
            var rva = BinaryPrimitives.ReadInt32LittleEndian(entry[4..]);
            var size = BinaryPrimitives.ReadInt32LittleEndian(entry[8..]);
            if (rva > 0 && size >= 0)
            {
                sections.TryAdd(BinaryPrimitives.ReadInt32LittleEndian(entry), (rva, size));
            }
        }

        return new ReadyToRunHeader(
            BinaryPrimitives.ReadUInt16LittleEndian(bytes[4..]),
            BinaryPrimitives.ReadUInt16LittleEndian(bytes[6..]),
            BinaryPrimitives.ReadUInt32LittleEndian(bytes[8..]),
            sections);
    }
}
