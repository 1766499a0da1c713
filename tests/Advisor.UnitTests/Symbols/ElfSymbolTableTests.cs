using System.Runtime.InteropServices;
using Advisor.Linux.Symbols;

namespace Advisor.UnitTests.Symbols;

public sealed class ElfSymbolTableTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("advisor-elf-");

    public void Dispose() => _dir.Delete(recursive: true);

    [Fact]
    public void A_file_offset_is_translated_through_its_load_segment_and_a_global_alias_wins_over_a_local()
    {
        // Code at file offset 0x1000 runs at 0x201000: a lookup that skipped the translation would miss.
        var table = Load(new ElfImageBuilder()
            .Load(offset: 0x1000, virtualAddress: 0x201000, size: 0x1000)
            .Symbol("local_alias", 0x201100, 0x20, ElfImageBuilder.Local)
            .Symbol("entry", 0x201100, 0x20, ElfImageBuilder.Global)
            .Build());

        table.TryFindByFileOffset(0x1100, out var name, out var displacement).ShouldBeTrue();
        name.ShouldBe("entry");
        displacement.ShouldBe(0UL);
        table.TryFindByFileOffset(0x1110, out name, out displacement).ShouldBeTrue();
        (name, displacement).ShouldBe(("entry", 0x10UL));
        table.TryFind(0x201105, out name, out displacement).ShouldBeTrue();
        (name, displacement).ShouldBe(("entry", 5UL));

        table.TryFindByFileOffset(0x1120, out _, out _).ShouldBeFalse(); // past the sized symbol
        table.TryFindByFileOffset(0x2100, out _, out _).ShouldBeFalse(); // outside every segment
        table.TryFind(0x1100, out _, out _).ShouldBeFalse(); // the untranslated offset is not an address
    }

    [Fact]
    public void Public_names_win_version_suffixes_go_and_unsized_symbols_reach_the_next()
    {
        var table = Load(new ElfImageBuilder()
            .Load(0, 0, 0x100000)
            .Symbol("__libc_pwrite64", 0x1000, 0x40, ElfImageBuilder.Global)
            .Symbol("pwrite64", 0x1000, 0x40, ElfImageBuilder.Weak)
            .Symbol("memcpy@@GLIBC_2.14", 0x2000, 0x10, ElfImageBuilder.Global)
            .Symbol("unsized", 0x3000, 0, ElfImageBuilder.Global)
            .Symbol("after", 0x3100, 0x10, ElfImageBuilder.Global)
            .Symbol("last_unsized", 0x10000, 0, ElfImageBuilder.Global)
            .Symbol("a_variable", 0x4000, 0x100, ElfImageBuilder.Global, ElfImageBuilder.Object)
            .Symbol("imported", 0x5000, 0, ElfImageBuilder.Global, section: 0)
            .Build());

        Find(table, 0x1008).ShouldBe(("pwrite64", 8UL));
        Find(table, 0x2000).ShouldBe(("memcpy", 0UL));
        Find(table, 0xfff).ShouldBeNull();
        Find(table, 0x30ff).ShouldBe(("unsized", 0xffUL));
        Find(table, 0x3100).ShouldBe(("after", 0UL));
        Find(table, 0x4010).ShouldBeNull(); // objects and imports are not functions
        Find(table, 0x5000).ShouldBeNull();
        Find(table, 0x10000 + 0xffff).ShouldBe(("last_unsized", 0xffffUL));
        Find(table, 0x10000 + 0x10000).ShouldBeNull(); // capped at 64 KiB
        table.Count.ShouldBe(5);
    }

    [Fact]
    public void Dynsym_is_used_when_there_is_no_symtab()
    {
        var table = Load(new ElfImageBuilder { Dynamic = true }
            .Load(0, 0x400000, 0x1000)
            .Symbol("exported", 0x400100, 0x10, ElfImageBuilder.Global)
            .Build());

        table.TryFindByFileOffset(0x104, out var name, out var displacement).ShouldBeTrue();
        (name, displacement).ShouldBe(("exported", 4UL));
    }

    [Fact]
    public void The_real_libc_names_an_exported_function_at_its_file_offset()
    {
        var getpid = (ulong)NativeLibrary.GetExport(NativeLibrary.Load("libc.so.6"), "getpid");
        var mapping = ProcMaps.Read(Environment.ProcessId).Single(m => m.Contains(getpid));
        Path.GetFileName(mapping.Path).ShouldNotBeNull().ShouldStartWith("libc.so");

        var table = ElfSymbolTable.Load(mapping.Path!).ShouldNotBeNull();

        table.TryFindByFileOffset(getpid - mapping.Start + mapping.Offset, out var name, out var displacement).ShouldBeTrue();
        name.ShouldContain("getpid");
        displacement.ShouldBe(0UL);
        table.Count.ShouldBeGreaterThan(100);
    }

    [Fact]
    public void Files_that_are_not_readable_ELF64_load_as_nothing_and_never_throw()
    {
        var libc = ProcMaps.Read(Environment.ProcessId)
            .First(m => Path.GetFileName(m.Path ?? "").StartsWith("libc.so", StringComparison.Ordinal)).Path!;
        var truncated = File.ReadAllBytes(libc)[..40];
        var elf32 = new ElfImageBuilder().Load(0, 0, 0x1000).Symbol("f", 0x10, 1, ElfImageBuilder.Global).Build();
        elf32[4] = 1; // ELFCLASS32
        var bigEndian = new ElfImageBuilder().Load(0, 0, 0x1000).Symbol("f", 0x10, 1, ElfImageBuilder.Global).Build();
        bigEndian[5] = 2; // ELFDATA2MSB
        var sectionsPastTheEnd = new ElfImageBuilder().Load(0, 0, 0x1000).Symbol("f", 0x10, 1, ElfImageBuilder.Global).Build();
        BitConverter.TryWriteBytes(sectionsPastTheEnd.AsSpan(40), 1UL << 40).ShouldBeTrue();

        ElfSymbolTable.Load(Write("text", "not an ELF file at all, just text that is long enough to have a header's worth"u8.ToArray())).ShouldBeNull();
        ElfSymbolTable.Load(Write("empty", [])).ShouldBeNull();
        ElfSymbolTable.Load(Write("truncated", truncated)).ShouldBeNull();
        ElfSymbolTable.Load(Write("elf32", elf32)).ShouldBeNull();
        ElfSymbolTable.Load(Write("big-endian", bigEndian)).ShouldBeNull();
        ElfSymbolTable.Load(Write("sections-past-the-end", sectionsPastTheEnd)).ShouldBeNull();
        ElfSymbolTable.Load(Path.Combine(_dir.FullName, "missing")).ShouldBeNull();
        ElfSymbolTable.Load(_dir.FullName).ShouldBeNull();
        ElfSymbolTable.Load("").ShouldBeNull();
    }

    /// <returns>The symbol and displacement, or null for no symbol there.</returns>
    private static (string Name, ulong Displacement)? Find(ElfSymbolTable table, ulong address) =>
        table.TryFind(address, out var name, out var displacement) ? (name, displacement) : null;

    private ElfSymbolTable Load(byte[] image) => ElfSymbolTable.Load(Write("image.so", image)).ShouldNotBeNull();

    private string Write(string name, byte[] bytes)
    {
        var path = Path.Combine(_dir.FullName, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }
}
