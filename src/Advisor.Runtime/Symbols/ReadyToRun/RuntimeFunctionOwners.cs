using System.Buffers.Binary;
using System.Reflection.PortableExecutable;

namespace Advisor.Runtime.Symbols.ReadyToRun;

/// <summary>Which method (MethodDef row) each runtime function of an image belongs to.</summary>
/// <remarks>
/// A method's code is its main body's runtime function, then those of its funclets (exception handlers)
/// right after it; a cold part split off by hot/cold splitting lies elsewhere and is listed in the HotColdMap.
/// MethodDefEntryPoints gives the main body of each non-generic method. Generic instantiations (and methods of
/// generic types) are in InstanceMethodEntryPoints, a hashtable keyed by signatures: they are not named here,
/// but their code must not pass for the funclets of the method before them. The DebugInfo section has an entry
/// for the main body of every compiled method, instantiations included, and for nothing else: it says where
/// each method's code starts.
/// </remarks>
internal static class RuntimeFunctionOwners
{
    /// <returns>Per runtime function, the row of the MethodDef whose code it is, or 0 when it is no named method's.</returns>
    public static int[] Assign(PEReader pe, ReadyToRunHeader header, int functionCount, int methodDefCount)
    {
        var owners = new int[functionCount];
        var starts = new bool[functionCount];
        AddMethodDefEntryPoints(header.SectionBytes(pe, ReadyToRunSectionType.MethodDefEntryPoints).AsSpan(), methodDefCount, owners, starts);
        var startsKnown = MarkMethodStarts(header.SectionBytes(pe, ReadyToRunSectionType.DebugInfo).AsSpan(), starts);
        var hotOfCold = HotOfCold(header.SectionBytes(pe, ReadyToRunSectionType.HotColdMap).AsSpan(), functionCount);

        var current = 0;
        for (var i = 0; i < functionCount; i++)
        {
            if (hotOfCold.TryGetValue(i, out var hot))
            {
                current = owners[hot];
            }
            else if (starts[i])
            {
                current = owners[i];
            }
            else if (!startsKnown)
            {
                // Without DebugInfo a funclet cannot be told from an instantiation's body: only main bodies are named.
                current = 0;
            }

            owners[i] = current;
        }

        return owners;
    }

    /// <summary>
    /// A NativeArray by MethodDef row - 1; an entry is the index of the method's first runtime function shifted
    /// left by one, or by two with bit 0 set when a list of fixups (not needed to name it) follows.
    /// </summary>
    private static void AddMethodDefEntryPoints(ReadOnlySpan<byte> section, int methodDefCount, int[] owners, bool[] starts)
    {
        if (!NativeArray.TryOpen(section, 0, out var entryPoints))
        {
            return;
        }

        var rows = Math.Min(entryPoints.Count, (uint)methodDefCount);
        for (var row = 1u; row <= rows; row++)
        {
            if (!entryPoints.TryGetAt(row - 1, out var offset) || !NativeFormat.TryReadUnsigned(section, offset, out var id, out _))
            {
                continue;
            }

            var index = (id & 1) != 0 ? id >> 2 : id >> 1;
            if (index < owners.Length && owners[index] == 0)
            {
                owners[index] = (int)row;
                starts[index] = true;
            }
        }
    }

    /// <returns>Whether the image said where methods start (it has DebugInfo).</returns>
    private static bool MarkMethodStarts(ReadOnlySpan<byte> debugInfo, bool[] starts)
    {
        if (!NativeArray.TryOpen(debugInfo, 0, out var entries))
        {
            return false;
        }

        var count = Math.Min(entries.Count, (uint)starts.Length);
        for (var i = 0u; i < count; i++)
        {
            if (entries.TryGetAt(i, out _))
            {
                starts[i] = true;
            }
        }

        return true;
    }

    /// <summary>The HotColdMap: pairs of 32-bit runtime function indexes, cold part then hot part.</summary>
    private static Dictionary<int, int> HotOfCold(ReadOnlySpan<byte> map, int functionCount)
    {
        var hotOfCold = new Dictionary<int, int>();
        for (var offset = 0; offset + 8 <= map.Length; offset += 8)
        {
            var cold = BinaryPrimitives.ReadUInt32LittleEndian(map[offset..]);
            var hot = BinaryPrimitives.ReadUInt32LittleEndian(map[(offset + 4)..]);
            if (cold < functionCount && hot < functionCount)
            {
                hotOfCold.TryAdd((int)cold, (int)hot);
            }
        }

        return hotOfCold;
    }
}
