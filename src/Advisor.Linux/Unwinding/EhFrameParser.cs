namespace Advisor.Linux.Unwinding;

/// <summary>
/// Walks every entry of an .eh_frame section once. A malformed entry is skipped (or, when its length cannot be
/// trusted, ends the walk): the result then has fewer FDEs, never an exception.
/// </summary>
internal static class EhFrameParser
{
    private const uint Extended64BitLength = 0xffffffff;

    public static (CommonInformationEntry[] Cies, FrameDescriptionEntry[] Fdes) Parse(byte[] section, ulong sectionAddress, ulong dataAddress)
    {
        var cies = new List<CommonInformationEntry>();
        var cieIndexes = new Dictionary<int, int>();
        var fdes = new List<FrameDescriptionEntry>();
        var offset = 0;
        while (TryReadHeader(section, offset, sectionAddress, out var header))
        {
            offset = header.End;
            if (header.IsTerminator)
            {
                // A zero length ends the section for the runtime unwinder, but linkers leave some mid-section too:
                // reading on costs nothing and finds what follows.
                continue;
            }

            if (header.Id == 0)
            {
                if (!cieIndexes.ContainsKey(header.Start) && TryParseCie(section, header, sectionAddress, dataAddress, out var cie))
                {
                    cieIndexes[header.Start] = cies.Count;
                    cies.Add(cie);
                }

                continue;
            }

            // The CIE pointer counts back from its own field; usually to a CIE already read, but not necessarily.
            var ciePosition = (long)header.IdPosition - (long)header.Id;
            if (ciePosition < 0 || ciePosition >= header.Start)
            {
                continue;
            }

            if (!cieIndexes.TryGetValue((int)ciePosition, out var cieIndex))
            {
                if (!TryReadHeader(section, (int)ciePosition, sectionAddress, out var cieHeader) || cieHeader.Id != 0
                    || !TryParseCie(section, cieHeader, sectionAddress, dataAddress, out var late))
                {
                    continue;
                }

                cieIndexes[(int)ciePosition] = cieIndex = cies.Count;
                cies.Add(late);
            }

            if (TryParseFde(section, header, sectionAddress, dataAddress, cies[cieIndex], cieIndex, out var fde))
            {
                fdes.Add(fde);
            }
        }

        fdes.Sort((a, b) => a.PcBegin.CompareTo(b.PcBegin));
        return ([.. cies], [.. fdes]);
    }

    private static bool TryReadHeader(byte[] section, int offset, ulong sectionAddress, out EntryHeader header)
    {
        header = default;
        var reader = new DwarfReader(section, offset, section.Length, sectionAddress);
        ulong length = reader.ReadU32();
        var is64 = length == Extended64BitLength;
        if (is64)
        {
            length = reader.ReadU64();
        }

        if (reader.Failed || length > (ulong)(section.Length - reader.Position))
        {
            return false;
        }

        var end = reader.Position + (int)length;
        if (length == 0)
        {
            header = new EntryHeader(offset, end, 0, 0, IsTerminator: true);
            return true;
        }

        var idPosition = reader.Position;
        var id = is64 ? reader.ReadU64() : reader.ReadU32();
        if (reader.Failed || reader.Position > end)
        {
            return false;
        }

        header = new EntryHeader(offset, end, idPosition, id, IsTerminator: false) { BodyStart = reader.Position };
        return true;
    }

    private static bool TryParseCie(byte[] section, EntryHeader header, ulong sectionAddress, ulong dataAddress, out CommonInformationEntry cie)
    {
        cie = default;
        var reader = new DwarfReader(section, header.BodyStart, header.End, sectionAddress, dataAddress);
        var version = reader.ReadU8();
        if (version is not (1 or 3 or 4))
        {
            return false;
        }

        var augmentation = reader.ReadCString();
        if (version == 4)
        {
            reader.Skip(2); // address_size, segment_selector_size: .eh_frame is ELF64 here, addresses are 8 bytes
        }

        var codeAlignment = reader.ReadUleb128();
        var dataAlignment = reader.ReadSleb128();
        var returnAddress = version == 1 ? reader.ReadU8() : reader.ReadUleb128();
        byte encoding = DwarfPointerEncoding.AbsolutePointer;
        var signal = false;
        var hasData = augmentation.Length > 0 && augmentation[0] == (byte)'z';
        if (augmentation.Length > 0 && !hasData)
        {
            return false; // pre-'z' GCC augmentations ("eh") carry data of unknown length
        }

        if (hasData)
        {
            var dataLength = reader.ReadUleb128();
            var dataEnd = reader.Position + (long)Math.Min(dataLength, (ulong)int.MaxValue);
            foreach (var letter in augmentation[1..])
            {
                switch (letter)
                {
                    case (byte)'R':
                        encoding = reader.ReadU8();
                        break;
                    case (byte)'L':
                        reader.ReadU8(); // the LSDA's encoding: the FDE's augmentation data is skipped whole
                        break;
                    case (byte)'P':
                        reader.ReadValue((byte)(reader.ReadU8() & DwarfPointerEncoding.FormatMask));
                        break;
                    case (byte)'S':
                        signal = true;
                        break;
                    case (byte)'B' or (byte)'G': // arm64 B-key pointer authentication, MTE-tagged frames: no data
                        break;
                    default:
                        // Its data, of unknown size, may come before the 'R' encoding: the FDEs' pointers cannot be trusted.
                        return false;
                }
            }

            if (dataEnd > reader.End)
            {
                return false;
            }

            reader.Position = (int)dataEnd;
        }

        if (reader.Failed || codeAlignment == 0 || returnAddress > int.MaxValue)
        {
            return false;
        }

        cie = new CommonInformationEntry(codeAlignment, dataAlignment, (int)returnAddress, encoding, hasData, signal, reader.Position, header.End);
        return true;
    }

    private static bool TryParseFde(
        byte[] section, EntryHeader header, ulong sectionAddress, ulong dataAddress, CommonInformationEntry cie, int cieIndex, out FrameDescriptionEntry fde)
    {
        fde = default;
        var reader = new DwarfReader(section, header.BodyStart, header.End, sectionAddress, dataAddress);
        var begin = reader.ReadEncoded(cie.PointerEncoding);
        var range = reader.ReadValue((byte)(cie.PointerEncoding & DwarfPointerEncoding.FormatMask));
        if (cie.HasAugmentationData)
        {
            reader.SkipBlock();
        }

        // An FDE of no code (or of code at 0: its function was discarded at link time) describes nothing to find.
        if (reader.Failed || range == 0 || begin == 0 || begin + range < begin)
        {
            return false;
        }

        fde = new FrameDescriptionEntry(begin, begin + range, reader.Position, header.End, cieIndex);
        return true;
    }

    /// <param name="Start">Section offset of the length field; the entry ends at <paramref name="End"/>.</param>
    /// <param name="IdPosition">Section offset of the CIE id / CIE pointer field.</param>
    private readonly record struct EntryHeader(int Start, int End, int IdPosition, ulong Id, bool IsTerminator)
    {
        /// <summary>Section offset of what follows the id: a CIE's version, an FDE's pc_begin.</summary>
        public int BodyStart { get; init; }
    }
}
