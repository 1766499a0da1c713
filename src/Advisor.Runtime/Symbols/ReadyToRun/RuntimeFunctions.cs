using System.Buffers.Binary;
using System.Reflection.PortableExecutable;

namespace Advisor.Runtime.Symbols.ReadyToRun;

/// <summary>
/// The RuntimeFunctions section: every piece of compiled code in the image (method bodies, their funclets and
/// cold parts) as an RVA range, sorted by start. Only x64 and arm64 images are read.
/// </summary>
internal sealed record RuntimeFunctions(uint[] Begins, uint[] Ends)
{
    // Crossgen2 marks a PE image built for Linux or macOS by XOR-ing the machine with an OS value.
    private static readonly ushort[] OsMachineOverrides = [0, 0x7B79 /* Linux */, 0x4644 /* Apple */, 0xADC4 /* FreeBSD */, 0x1993 /* NetBSD */, 0x1992 /* SunOS */];

    public int Count => Begins.Length;

    /// <returns>Null when the image is for another machine or the table is not sorted, non-empty ranges.</returns>
    public static RuntimeFunctions? Read(PEReader pe, ReadyToRunHeader header)
    {
        var machine = MachineOf((ushort)pe.PEHeaders.CoffHeader.Machine);
        if (machine is not (Machine.Amd64 or Machine.Arm64))
        {
            return null;
        }

        // x64: BeginAddress, EndAddress, UnwindData; arm64 has no EndAddress: BeginAddress, UnwindData.
        var entrySize = machine == Machine.Amd64 ? 12 : 8;
        var table = header.SectionBytes(pe, ReadyToRunSectionType.RuntimeFunctions).AsSpan();
        var count = table.Length / entrySize;
        var begins = new uint[count];
        var ends = new uint[count];
        for (var i = 0; i < count; i++)
        {
            var entry = table.Slice(i * entrySize, entrySize);
            begins[i] = BinaryPrimitives.ReadUInt32LittleEndian(entry);
            ends[i] = machine == Machine.Amd64 ? BinaryPrimitives.ReadUInt32LittleEndian(entry[4..]) : 0;
            if (i > 0 && begins[i] <= begins[i - 1])
            {
                return null;
            }
        }

        if (machine != Machine.Amd64)
        {
            // An arm64 function ends where the next begins; the last one where its section's code does.
            for (var i = 0; i < count; i++)
            {
                ends[i] = i + 1 < count ? begins[i + 1] : EndOfSection(pe, begins[i]);
            }
        }

        for (var i = 0; i < count; i++)
        {
            if (ends[i] <= begins[i] || (i + 1 < count && ends[i] > begins[i + 1]))
            {
                return null;
            }
        }

        return new RuntimeFunctions(begins, ends);
    }

    private static Machine MachineOf(ushort raw)
    {
        foreach (var os in OsMachineOverrides)
        {
            var machine = (Machine)(raw ^ os);
            if (machine is Machine.Amd64 or Machine.Arm64)
            {
                return machine;
            }
        }

        return Machine.Unknown;
    }

    private static uint EndOfSection(PEReader pe, uint rva)
    {
        foreach (var section in pe.PEHeaders.SectionHeaders)
        {
            var start = (uint)section.VirtualAddress;
            if (rva >= start && rva - start < (uint)section.VirtualSize)
            {
                return start + (uint)section.VirtualSize;
            }
        }

        return rva + 1;
    }
}
