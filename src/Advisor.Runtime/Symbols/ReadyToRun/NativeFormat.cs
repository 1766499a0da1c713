using System.Buffers.Binary;

namespace Advisor.Runtime.Symbols.ReadyToRun;

/// <summary>
/// The variable-length unsigned integers of the runtime's "native format" (ReadyToRun tables): the low bits of
/// the first byte say how many bytes follow.
/// </summary>
internal static class NativeFormat
{
    /// <summary>Decodes the unsigned integer at <paramref name="offset"/>.</summary>
    /// <param name="next">The offset just past it.</param>
    /// <returns>False when the data ends inside it or its first byte is no valid encoding.</returns>
    public static bool TryReadUnsigned(ReadOnlySpan<byte> data, int offset, out uint value, out int next)
    {
        value = 0;
        next = offset;
        if (offset < 0 || offset >= data.Length)
        {
            return false;
        }

        var first = data[offset];
        // xxxxxxx0: 7 bits; xxxxxx01: 14; xxxxx011: 21; xxxx0111: 28; xxxx1111: a whole uint32 follows.
        var size = (first & 1) == 0 ? 1 : (first & 2) == 0 ? 2 : (first & 4) == 0 ? 3 : (first & 8) == 0 ? 4 : (first & 16) == 0 ? 5 : 0;
        if (size == 0 || data.Length - offset < size)
        {
            return false;
        }

        var bytes = data.Slice(offset, size);
        value = size switch
        {
            1 => (uint)first >> 1,
            2 => ((uint)first >> 2) | ((uint)bytes[1] << 6),
            3 => ((uint)first >> 3) | ((uint)bytes[1] << 5) | ((uint)bytes[2] << 13),
            4 => ((uint)first >> 4) | ((uint)bytes[1] << 4) | ((uint)bytes[2] << 12) | ((uint)bytes[3] << 20),
            _ => BinaryPrimitives.ReadUInt32LittleEndian(bytes[1..]),
        };
        next = offset + size;
        return true;
    }
}
