using System.Buffers.Binary;
using System.Text;

namespace Advisor.UnitTests.Unwinding;

/// <summary>
/// Assembles .eh_frame bytes: CIEs and FDEs (pc_begin pc-relative sdata4, as GCC and clang emit them),
/// terminators and raw bytes, for a section loaded at <paramref name="sectionAddress"/>.
/// </summary>
internal sealed class EhFrameBuilder(ulong sectionAddress)
{
    public const byte PcRelSdata4 = 0x1b;

    private readonly List<byte> _bytes = [];

    public ulong SectionAddress => sectionAddress;

    /// <returns>The CIE's section offset, for the FDEs that point to it.</returns>
    public int Cie(byte[] instructions, string augmentation = "zR", ulong codeAlignment = 1, long dataAlignment = -8, byte returnAddress = 16, bool extended64 = false)
    {
        var body = new List<byte> { 1 }; // version 1: the return address column is one byte
        body.AddRange(Encoding.ASCII.GetBytes(augmentation));
        body.Add(0);
        body.AddRange(Uleb(codeAlignment));
        body.AddRange(Sleb(dataAlignment));
        body.Add(returnAddress);
        if (augmentation.StartsWith('z'))
        {
            var data = augmentation.Contains('R') ? new byte[] { PcRelSdata4 } : [];
            body.AddRange(Uleb((ulong)data.Length));
            body.AddRange(data);
        }

        body.AddRange(instructions);
        var offset = _bytes.Count;
        Entry(extended64, id: 0, body);
        return offset;
    }

    /// <param name="absolute">The CIE has no 'R': pc_begin and pc_range are 8-byte absolute values.</param>
    public EhFrameBuilder Fde(int cie, ulong pcBegin, uint pcRange, byte[] instructions, bool extended64 = false, bool absolute = false)
    {
        var idPosition = _bytes.Count + (extended64 ? 12 : 4);
        var beginPosition = idPosition + (extended64 ? 8 : 4);
        var body = new List<byte>();
        body.AddRange(absolute ? BitConverter.GetBytes(pcBegin) : BitConverter.GetBytes((int)(pcBegin - (sectionAddress + (ulong)beginPosition))));
        body.AddRange(absolute ? BitConverter.GetBytes((ulong)pcRange) : BitConverter.GetBytes(pcRange));
        body.Add(0); // 'z': no augmentation data
        body.AddRange(instructions);
        Entry(extended64, (ulong)(idPosition - cie), body);
        return this;
    }

    public EhFrameBuilder Terminator() => Raw([0, 0, 0, 0]);

    public EhFrameBuilder Raw(byte[] bytes)
    {
        _bytes.AddRange(bytes);
        return this;
    }

    public byte[] Build() => [.. _bytes];

    public static byte[] Uleb(ulong value)
    {
        var bytes = new List<byte>();
        do
        {
            var b = (byte)(value & 0x7f);
            value >>= 7;
            bytes.Add(value == 0 ? b : (byte)(b | 0x80));
        }
        while (value != 0);

        return [.. bytes];
    }

    public static byte[] Sleb(long value)
    {
        var bytes = new List<byte>();
        while (true)
        {
            var b = (byte)(value & 0x7f);
            value >>= 7;
            if ((value == 0 && (b & 0x40) == 0) || (value == -1 && (b & 0x40) != 0))
            {
                bytes.Add(b);
                return [.. bytes];
            }

            bytes.Add((byte)(b | 0x80));
        }
    }

    private void Entry(bool extended64, ulong id, List<byte> body)
    {
        Span<byte> header = stackalloc byte[20];
        var length = (ulong)body.Count + (extended64 ? 8UL : 4UL);
        if (extended64)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(header, 0xffffffff);
            BinaryPrimitives.WriteUInt64LittleEndian(header[4..], length);
            BinaryPrimitives.WriteUInt64LittleEndian(header[12..], id);
            _bytes.AddRange(header[..20]);
        }
        else
        {
            BinaryPrimitives.WriteUInt32LittleEndian(header, (uint)length);
            BinaryPrimitives.WriteUInt32LittleEndian(header[4..], (uint)id);
            _bytes.AddRange(header[..8]);
        }

        _bytes.AddRange(body);
    }
}
