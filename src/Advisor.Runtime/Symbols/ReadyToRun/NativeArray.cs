using System.Buffers.Binary;

namespace Advisor.Runtime.Symbols.ReadyToRun;

/// <summary>
/// A sparse array of the runtime's native format (MethodDefEntryPoints, DebugInfo): a header (element count
/// and the width of the block index), one offset per block of 16 elements, then each block as a binary tree
/// of depth 4 whose leaves are the elements present. An element is an offset to its data.
/// </summary>
/// <remarks>Offsets are relative to the span the array was opened on; anything outside it is a missing element.</remarks>
internal readonly ref struct NativeArray
{
    private const int BlockSize = 16;

    private readonly ReadOnlySpan<byte> _data;
    private readonly int _indexStart;
    private readonly int _indexEntrySize;

    private NativeArray(ReadOnlySpan<byte> data, int indexStart, int indexEntrySize, uint count)
    {
        _data = data;
        _indexStart = indexStart;
        _indexEntrySize = indexEntrySize;
        Count = count;
    }

    /// <summary>The number of indexes (present or not).</summary>
    public uint Count { get; }

    /// <summary>Opens the array whose header is at <paramref name="offset"/>.</summary>
    public static bool TryOpen(ReadOnlySpan<byte> data, int offset, out NativeArray array)
    {
        array = default;
        if (!NativeFormat.TryReadUnsigned(data, offset, out var header, out var indexStart))
        {
            return false;
        }

        // Bits 0-1: the block index holds 1, 2 or 4-byte offsets (3 is not a width); bits 2-31: the count.
        var indexEntrySize = (header & 3) switch
        {
            0 => 1,
            1 => 2,
            2 => 4,
            _ => 0,
        };
        if (indexEntrySize == 0)
        {
            return false;
        }

        array = new NativeArray(data, indexStart, indexEntrySize, header >> 2);
        return true;
    }

    /// <summary>Where the element at <paramref name="index"/> is stored, if it is present.</summary>
    public bool TryGetAt(uint index, out int offset)
    {
        offset = 0;
        if (index >= Count)
        {
            return false;
        }

        var slot = _indexStart + ((long)(index / BlockSize) * _indexEntrySize);
        if (slot > _data.Length - _indexEntrySize)
        {
            return false;
        }

        var entry = _data.Slice((int)slot, _indexEntrySize);
        long blockOffset = _indexEntrySize switch
        {
            1 => entry[0],
            2 => BinaryPrimitives.ReadUInt16LittleEndian(entry),
            _ => BinaryPrimitives.ReadUInt32LittleEndian(entry),
        };
        var node = _indexStart + blockOffset;

        // Walk down the block's tree by the index's low 4 bits, high bit first. A node says whether it has a
        // lower child (bit 0, right after it) and a higher one (bit 1, at the distance in its upper bits); a
        // node with neither is a leaf holding the one element left under it (its low bits in the upper bits).
        for (var bit = BlockSize >> 1; bit > 0; bit >>= 1)
        {
            if (node > _data.Length || !NativeFormat.TryReadUnsigned(_data, (int)node, out var value, out var afterNode))
            {
                return false;
            }

            if ((index & bit) != 0 && (value & 2) != 0)
            {
                node += value >> 2;
                continue;
            }

            if ((index & bit) == 0 && (value & 1) != 0)
            {
                node = afterNode;
                continue;
            }

            if ((value & 3) == 0 && (value >> 2) == (index & (BlockSize - 1)))
            {
                offset = afterNode;
                return true;
            }

            return false;
        }

        if (node > _data.Length)
        {
            return false;
        }

        offset = (int)node;
        return true;
    }
}
