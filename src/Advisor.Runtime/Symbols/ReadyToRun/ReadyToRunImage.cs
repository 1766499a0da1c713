using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace Advisor.Runtime.Symbols.ReadyToRun;

/// <summary>
/// The methods whose precompiled code a ReadyToRun (non-composite) image holds, by RVA: enough to name a frame
/// in that code without the runtime's help, when its rundown never came.
/// </summary>
/// <remarks>
/// Read once, then kept as sorted arrays; the file is closed after loading. Names only the methods of the
/// image's own MethodDefs: generic instantiations are code of no name here (see <see cref="RuntimeFunctionOwners"/>).
/// </remarks>
public sealed class ReadyToRunImage
{
    private readonly uint[] _begins;
    private readonly uint[] _ends;
    private readonly int[] _methodOf;
    private readonly PrecompiledMethod[] _methods;
    private readonly SectionHeader[] _sections;

    private ReadyToRunImage(uint[] begins, uint[] ends, int[] methodOf, PrecompiledMethod[] methods, SectionHeader[] sections)
    {
        _begins = begins;
        _ends = ends;
        _methodOf = methodOf;
        _methods = methods;
        _sections = sections;
    }

    /// <summary>How many methods it can name.</summary>
    public int MethodCount => _methods.Length;

    /// <returns>The image, or null for anything that is not a readable ReadyToRun image of its own code.</returns>
    public static ReadyToRunImage? Load(string path)
    {
        try
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            return Load(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return null;
        }
    }

    /// <inheritdoc cref="Load(string)"/>
    public static ReadyToRunImage? Load(Stream image)
    {
        try
        {
            using var pe = new PEReader(image, PEStreamOptions.LeaveOpen);
            return Read(pe);
        }
        catch (Exception e) when (e is BadImageFormatException or InvalidOperationException or ArgumentException or IOException or OverflowException)
        {
            // The PE and metadata readers throw these on malformed input: such an image names nothing.
            return null;
        }
    }

    /// <summary>The method whose code holds <paramref name="rva"/> (main body, funclet or cold part).</summary>
    public bool TryFind(uint rva, out PrecompiledMethod method)
    {
        method = default;
        var i = Array.BinarySearch(_begins, rva);
        if (i < 0)
        {
            // The last function starting before the address.
            i = ~i - 1;
        }

        if (i < 0 || rva >= _ends[i] || _methodOf[i] < 0)
        {
            return false;
        }

        method = _methods[_methodOf[i]];
        return true;
    }

    /// <summary>
    /// The method at a file offset, as a mapping in /proc/PID/maps gives it (address - start + offset). On
    /// Linux the runtime maps each section of the image from its file offset to its RVA past the image's
    /// base, so the file offset tells the RVA without knowing the base.
    /// </summary>
    public bool TryFindByFileOffset(ulong fileOffset, out PrecompiledMethod method)
    {
        foreach (var section in _sections)
        {
            if (fileOffset >= (ulong)section.PointerToRawData && fileOffset - (ulong)section.PointerToRawData < (ulong)section.SizeOfRawData)
            {
                return TryFind((uint)(fileOffset - (ulong)section.PointerToRawData) + (uint)section.VirtualAddress, out method);
            }
        }

        method = default;
        return false;
    }

    private static ReadyToRunImage? Read(PEReader pe)
    {
        if (!pe.HasMetadata || ReadyToRunHeader.Find(pe) is not { IsSingleImage: true } header
            || RuntimeFunctions.Read(pe, header) is not { Count: > 0 } functions)
        {
            return null;
        }

        var metadata = pe.GetMetadataReader();
        var owners = RuntimeFunctionOwners.Assign(pe, header, functions.Count, metadata.MethodDefinitions.Count);
        var names = new MetadataMethodNames(metadata);
        var methods = new List<PrecompiledMethod>();
        var indexOfRow = new Dictionary<int, int>();
        var methodOf = new int[functions.Count];
        for (var i = 0; i < owners.Length; i++)
        {
            var row = owners[i];
            if (row == 0)
            {
                methodOf[i] = -1;
                continue;
            }

            if (!indexOfRow.TryGetValue(row, out var index))
            {
                indexOfRow[row] = index = methods.Count;
                methods.Add(names.Of(row));
            }

            methodOf[i] = index;
        }

        return methods.Count == 0 ? null : new ReadyToRunImage(functions.Begins, functions.Ends, methodOf, [.. methods], [.. pe.PEHeaders.SectionHeaders]);
    }
}
