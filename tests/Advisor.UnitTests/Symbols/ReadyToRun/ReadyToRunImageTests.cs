using System.Buffers.Binary;
using System.Reflection.PortableExecutable;
using Advisor.Runtime.Symbols;
using Advisor.Runtime.Symbols.ReadyToRun;

namespace Advisor.UnitTests.Symbols.ReadyToRun;

public sealed class ReadyToRunImageTests : IDisposable
{
    private const int RuntimeFunctionsSection = 102;
    private const int MethodDefEntryPointsSection = 103;
    private const int DebugInfoSection = 105;

    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("advisor-r2r-");

    public void Dispose() => _dir.Delete(recursive: true);

    [SkippableFact]
    public void Methods_are_named_at_the_addresses_the_runtime_looked_up_their_precompiled_code()
    {
        var entryPoints = RuntimeEntryPoints.OfCoreLib();
        var imageBase = RuntimeEntryPoints.CoreLibBase();
        Prerequisite.Require(imageBase is not null, "CoreLib's image base (its headers' mapping) is not in /proc/self/maps");
        var image = ReadyToRunImage.Load(RuntimeEntryPoints.CoreLibPath).ShouldNotBeNull();

        var named = 0;
        foreach (var entry in entryPoints)
        {
            // Generic methods' instantiations are not named from the image, never misnamed.
            if (image.TryFind(checked((uint)(entry.Address - imageBase.Value)), out var method))
            {
                method.Name.ShouldBe(MethodNames.Display(entry.TypeName, entry.MethodName));
                method.IsFramework.ShouldBe(MethodNames.IsFramework(entry.TypeName));
                named++;
            }
        }

        // Counted over the methods prepared here: tests running alongside look up generic instantiations too.
        var prepared = entryPoints.Count(e => RuntimeEntryPoints.PreparedTypeNames.Contains(e.TypeName));
        var namedPrepared = entryPoints.Count(e => RuntimeEntryPoints.PreparedTypeNames.Contains(e.TypeName)
            && image.TryFind(checked((uint)(e.Address - imageBase.Value)), out _));
        namedPrepared.ShouldBeGreaterThan(prepared * 9 / 10, $"{namedPrepared} of {prepared} prepared methods named ({named} of {entryPoints.Count} in all)");
    }

    [SkippableFact]
    public void An_address_inside_a_method_is_that_method()
    {
        var entry = RuntimeEntryPoints.WeekOfYear();
        var imageBase = RuntimeEntryPoints.CoreLibBase();
        Prerequisite.Require(imageBase is not null, "CoreLib's image base (its headers' mapping) is not in /proc/self/maps");
        var image = ReadyToRunImage.Load(RuntimeEntryPoints.CoreLibPath).ShouldNotBeNull();
        var rva = checked((uint)(entry.Address - imageBase.Value));

        image.TryFind(rva + 8, out var inside).ShouldBeTrue();
        inside.Name.ShouldBe("System.Globalization.ISOWeek.GetWeekOfYear");
        image.TryFind(0, out _).ShouldBeFalse();
        image.TryFind(uint.MaxValue, out _).ShouldBeFalse();
    }

    [Fact]
    public void Files_that_are_no_ReadyToRun_image_name_nothing()
    {
        var text = Path.Combine(_dir.FullName, "notes.dll");
        File.WriteAllText(text, "not a PE file at all");
        var empty = Path.Combine(_dir.FullName, "empty.dll");
        File.WriteAllBytes(empty, []);

        ReadyToRunImage.Load(text).ShouldBeNull();
        ReadyToRunImage.Load(empty).ShouldBeNull();
        ReadyToRunImage.Load(Path.Combine(_dir.FullName, "missing.dll")).ShouldBeNull();
        ReadyToRunImage.Load(_dir.FullName).ShouldBeNull();

        // IL only: the test assembly is compiled by the JIT, its image has no precompiled code.
        ReadyToRunImage.Load(typeof(ReadyToRunImageTests).Assembly.Location).ShouldBeNull();
    }

    [Theory]
    [InlineData(512)]
    [InlineData(64 * 1024)]
    [InlineData(4 * 1024 * 1024)]
    public void A_truncated_image_names_nothing_without_throwing(int length)
    {
        var bytes = File.ReadAllBytes(RuntimeEntryPoints.CoreLibPath);

        Should.NotThrow(() => ReadyToRunImage.Load(new MemoryStream(bytes, 0, length))).ShouldBeNull();
        Should.NotThrow(() => ReadyToRunImage.Load(new MemoryStream(bytes, 0, bytes.Length - 1)));
    }

    [Theory]
    [InlineData(RuntimeFunctionsSection)]
    [InlineData(MethodDefEntryPointsSection)]
    [InlineData(DebugInfoSection)]
    public void Garbage_in_a_section_the_reader_walks_does_not_throw(int sectionType)
    {
        var bytes = File.ReadAllBytes(RuntimeEntryPoints.CoreLibPath);
        var (offset, size) = SectionInFile(bytes, sectionType);
        var random = new Random(sectionType);
        foreach (var fill in new Action<Span<byte>>[] { s => s.Fill(0xFF), s => s.Fill(0), s => random.NextBytes(s) })
        {
            var broken = (byte[])bytes.Clone();
            fill(broken.AsSpan(offset, size));

            Should.NotThrow(() => ReadyToRunImage.Load(new MemoryStream(broken)));
        }
    }

    [Fact]
    public void A_header_claiming_sections_past_its_end_or_an_unsorted_function_table_names_nothing()
    {
        var bytes = File.ReadAllBytes(RuntimeEntryPoints.CoreLibPath);
        var header = HeaderInFile(bytes);

        var manySections = (byte[])bytes.Clone();
        BinaryPrimitives.WriteUInt32LittleEndian(manySections.AsSpan(header + 12), uint.MaxValue);
        Should.NotThrow(() => ReadyToRunImage.Load(new MemoryStream(manySections)));

        var (functions, _) = SectionInFile(bytes, RuntimeFunctionsSection);
        var unsorted = (byte[])bytes.Clone();
        BinaryPrimitives.WriteUInt32LittleEndian(unsorted.AsSpan(functions + 12), 0);
        ReadyToRunImage.Load(new MemoryStream(unsorted)).ShouldBeNull();
    }

    /// <summary>The file offset of the ReadyToRun header: where the CLI header's ManagedNativeHeader points.</summary>
    private static int HeaderInFile(byte[] image)
    {
        using var pe = new PEReader(new MemoryStream(image));
        var native = pe.PEHeaders.CorHeader.ShouldNotBeNull().ManagedNativeHeaderDirectory;
        pe.PEHeaders.TryGetDirectoryOffset(native, out var offset).ShouldBeTrue();
        BinaryPrimitives.ReadUInt32LittleEndian(image.AsSpan(offset)).ShouldBe(0x00525452u);
        return offset;
    }

    private static (int Offset, int Size) SectionInFile(byte[] image, int type)
    {
        var header = HeaderInFile(image);
        var count = BinaryPrimitives.ReadInt32LittleEndian(image.AsSpan(header + 12));
        for (var i = 0; i < count; i++)
        {
            var entry = image.AsSpan(header + 16 + (i * 12));
            if (BinaryPrimitives.ReadInt32LittleEndian(entry) == type)
            {
                using var pe = new PEReader(new MemoryStream(image));
                var directory = new DirectoryEntry(BinaryPrimitives.ReadInt32LittleEndian(entry[4..]), BinaryPrimitives.ReadInt32LittleEndian(entry[8..]));
                pe.PEHeaders.TryGetDirectoryOffset(directory, out var offset).ShouldBeTrue();
                return (offset, directory.Size);
            }
        }

        throw new InvalidOperationException($"CoreLib has no ReadyToRun section {type}");
    }
}
