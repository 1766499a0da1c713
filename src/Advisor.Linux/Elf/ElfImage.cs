using System.Buffers.Binary;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace Advisor.Linux.Elf;

/// <summary>
/// An open ELF64 little-endian file: its machine, PT_LOAD segments and section headers, and bounded reads of
/// its sections. Reads headers on open and other bytes only when asked, never the whole file.
/// </summary>
/// <remarks>Nothing here throws for IO or format problems: a read that fails or runs past the file is null.</remarks>
public sealed class ElfImage : IDisposable
{
    public const ushort MachineX64 = 62;
    public const ushort MachineArm64 = 183;

    private const int HeaderSize = 64;
    private const int ProgramHeaderSize = 56;
    private const int SectionHeaderSize = 64;
    private const uint PtLoad = 1;
    private const uint PtNote = 4;
    private const uint NtGnuBuildId = 3;

    // Far beyond any real symbol table or .eh_frame (libcoreclr's are ~2 MB), small enough that a corrupt size cannot hurt.
    private const long MaxSectionBytes = 64L << 20;

    // Notes are a few dozen bytes; a larger "note" segment is not worth reading for a build id.
    private const long MaxNoteBytes = 64 * 1024;

    private readonly SafeFileHandle _file;
    private readonly long _length;
    private readonly ElfSegment[] _notes;

    private ElfImage(SafeFileHandle file, long length, ushort machine, LoadSegments loads, ElfSegment[] notes, ElfSection[] sections)
    {
        _file = file;
        _length = length;
        Machine = machine;
        Loads = loads;
        _notes = notes;
        Sections = sections;
    }

    /// <summary>e_machine: <see cref="MachineX64"/>, <see cref="MachineArm64"/>, or another the caller may refuse.</summary>
    public ushort Machine { get; }

    public LoadSegments Loads { get; }

    public IReadOnlyList<ElfSection> Sections { get; }

    /// <returns>The image, or null for anything that is not a readable ELF64 little-endian file.</returns>
    public static ElfImage? Open(string path)
    {
        SafeFileHandle? file = null;
        try
        {
            file = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            var image = Read(file);
            if (image is not null)
            {
                file = null; // the image owns it now
            }

            return image;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return null;
        }
        finally
        {
            file?.Dispose();
        }
    }

    public void Dispose() => _file.Dispose();

    /// <returns>The first section of that name that has bytes in the file, or null.</returns>
    public ElfSection? FindSection(string name)
    {
        foreach (var section in Sections)
        {
            if (section.Type != ElfSection.NoBits && section.Name == name)
            {
                return section;
            }
        }

        return null;
    }

    /// <returns>The section's bytes, or null when they are not all in the file or are more than <paramref name="maxBytes"/>.</returns>
    public byte[]? ReadSection(ElfSection section, long maxBytes = MaxSectionBytes) =>
        section.Type == ElfSection.NoBits ? null : ReadBlock(section.Offset, (long)section.Size, Math.Min(maxBytes, MaxSectionBytes));

    /// <returns>The GNU build id (NT_GNU_BUILD_ID) as lowercase hex, or null when the file has none.</returns>
    public string? ReadBuildId()
    {
        foreach (var note in _notes)
        {
            if (FindBuildId(ReadBlock(note.Offset, (long)note.FileSize, MaxNoteBytes)) is { } id)
            {
                return id;
            }
        }

        // Segments are gone from some debug files' views; the section says the same.
        return FindSection(".note.gnu.build-id") is { } section ? FindBuildId(ReadSection(section, MaxNoteBytes)) : null;
    }

    private static string? FindBuildId(byte[]? notes)
    {
        var offset = 0;
        while (notes is not null && offset + 12 <= notes.Length)
        {
            var nameSize = BinaryPrimitives.ReadUInt32LittleEndian(notes.AsSpan(offset));
            var descSize = BinaryPrimitives.ReadUInt32LittleEndian(notes.AsSpan(offset + 4));
            var type = BinaryPrimitives.ReadUInt32LittleEndian(notes.AsSpan(offset + 8));
            var name = (long)offset + 12;
            var desc = name + Align4(nameSize);
            var next = desc + Align4(descSize);
            if (next > notes.Length)
            {
                return null;
            }

            if (type == NtGnuBuildId && nameSize == 4 && notes.AsSpan((int)name, 4).SequenceEqual("GNU\0"u8) && descSize > 0)
            {
                return Convert.ToHexStringLower(notes, (int)desc, (int)descSize);
            }

            offset = (int)next;
        }

        return null;
    }

    private static long Align4(uint value) => ((long)value + 3) & ~3L;

    private static ElfImage? Read(SafeFileHandle file)
    {
        var length = RandomAccess.GetLength(file);
        Span<byte> header = stackalloc byte[HeaderSize];
        if (length < HeaderSize || RandomAccess.Read(file, header, 0) != HeaderSize
            || !header[..4].SequenceEqual("\u007FELF"u8)
            || header[4] != 2 || header[5] != 1)
        {
            return null;
        }

        var machine = BinaryPrimitives.ReadUInt16LittleEndian(header[18..]);
        var phoff = BinaryPrimitives.ReadUInt64LittleEndian(header[32..]);
        var shoff = BinaryPrimitives.ReadUInt64LittleEndian(header[40..]);
        var phnum = BinaryPrimitives.ReadUInt16LittleEndian(header[56..]);
        var shnum = BinaryPrimitives.ReadUInt16LittleEndian(header[60..]);
        var shstrndx = BinaryPrimitives.ReadUInt16LittleEndian(header[62..]);

        // Entry sizes other than the ELF64 ones mean a corrupt (or not ELF64) file: the tables cannot be walked.
        if ((phnum > 0 && BinaryPrimitives.ReadUInt16LittleEndian(header[54..]) != ProgramHeaderSize)
            || (shnum > 0 && BinaryPrimitives.ReadUInt16LittleEndian(header[58..]) != SectionHeaderSize))
        {
            return null;
        }

        var programHeaders = ReadBlock(file, length, phoff, (long)phnum * ProgramHeaderSize, MaxSectionBytes);
        var sectionHeaders = ReadBlock(file, length, shoff, (long)shnum * SectionHeaderSize, MaxSectionBytes);
        if (programHeaders is null || sectionHeaders is null)
        {
            return null;
        }

        var loads = new List<ElfSegment>();
        var notes = new List<ElfSegment>();
        for (var i = 0; i < phnum; i++)
        {
            var ph = programHeaders.AsSpan(i * ProgramHeaderSize, ProgramHeaderSize);
            var type = BinaryPrimitives.ReadUInt32LittleEndian(ph);
            if (type is PtLoad or PtNote)
            {
                (type == PtLoad ? loads : notes).Add(new ElfSegment(
                    BinaryPrimitives.ReadUInt64LittleEndian(ph[8..]),
                    BinaryPrimitives.ReadUInt64LittleEndian(ph[16..]),
                    BinaryPrimitives.ReadUInt64LittleEndian(ph[32..])));
            }
        }

        var sections = ReadSections(file, length, sectionHeaders, shnum, shstrndx);
        return new ElfImage(file, length, machine, new LoadSegments([.. loads]), [.. notes], sections);
    }

    private static ElfSection[] ReadSections(SafeFileHandle file, long length, byte[] headers, int count, int namesIndex)
    {
        byte[]? names = null;
        if (namesIndex > 0 && namesIndex < count)
        {
            var sh = headers.AsSpan(namesIndex * SectionHeaderSize, SectionHeaderSize);
            names = ReadBlock(file, length, BinaryPrimitives.ReadUInt64LittleEndian(sh[24..]), (long)BinaryPrimitives.ReadUInt64LittleEndian(sh[32..]), MaxSectionBytes);
        }

        var sections = new ElfSection[count];
        for (var i = 0; i < count; i++)
        {
            var sh = headers.AsSpan(i * SectionHeaderSize, SectionHeaderSize);
            var nameOffset = BinaryPrimitives.ReadUInt32LittleEndian(sh);
            sections[i] = new ElfSection(
                names is not null && nameOffset < names.Length ? CString(names, (int)nameOffset) : string.Empty,
                BinaryPrimitives.ReadUInt32LittleEndian(sh[4..]),
                BinaryPrimitives.ReadUInt64LittleEndian(sh[16..]),
                BinaryPrimitives.ReadUInt64LittleEndian(sh[24..]),
                BinaryPrimitives.ReadUInt64LittleEndian(sh[32..]),
                BinaryPrimitives.ReadUInt32LittleEndian(sh[40..]));
        }

        return sections;
    }

    private static string CString(byte[] table, int start)
    {
        var end = Array.IndexOf(table, (byte)0, start);
        return Encoding.UTF8.GetString(table, start, (end < 0 ? table.Length : end) - start);
    }

    private byte[]? ReadBlock(ulong offset, long size, long maxBytes)
    {
        try
        {
            return ReadBlock(_file, _length, offset, size, maxBytes);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            return null;
        }
    }

    private static byte[]? ReadBlock(SafeFileHandle file, long length, ulong offset, long size, long maxBytes)
    {
        if (size <= 0 || size > maxBytes || offset > (ulong)length || (long)offset + size > length)
        {
            return size == 0 ? [] : null;
        }

        var block = new byte[size];
        return RandomAccess.Read(file, block, (long)offset) == size ? block : null;
    }
}
