using Advisor.Linux.Symbols;

namespace Advisor.UnitTests.Symbols;

/// <summary>One read per native module, failures included, and addresses as offsets into the file.</summary>
public class ModuleCacheTests
{
    private static readonly MemoryMapping Libc = new(0x7f00_0000_1000, 0x7f00_0010_0000, "r-xp", 0x28000, "/usr/lib/x86_64-linux-gnu/libc.so.6");
    private static readonly MemoryMapping Stripped = new(0x7f00_0020_0000, 0x7f00_0030_0000, "r-xp", 0, "/opt/app/libnothing.so");

    [Fact]
    public void Each_module_is_read_once_and_a_module_with_nothing_is_remembered_as_such()
    {
        var reads = new List<string>();
        var cache = new ModuleCache<string>(path =>
        {
            reads.Add(path);
            return path.EndsWith("libc.so.6", StringComparison.Ordinal) ? "libc's table" : null;
        });

        for (var i = 0; i < 3; i++)
        {
            cache.TryFind(Libc, Libc.Start + 0x10, out var path, out var module, out var offset).ShouldBeTrue();
            (path, module, offset).ShouldBe((Libc.Path!, "libc's table", 0x28010UL));
            cache.TryFind(Stripped, Stripped.Start + 0x20, out _, out var none, out _).ShouldBeTrue();
            none.ShouldBeNull();
        }

        reads.ShouldBe([Libc.Path!, Stripped.Path!]);
        cache.Count.ShouldBe(2);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("[vdso]")]
    [InlineData("/memfd:doublemapper (deleted)")]
    public void An_address_in_no_file_is_not_found_and_nothing_is_read(string? path)
    {
        var cache = new ModuleCache<string>(_ => throw new InvalidOperationException("nothing to read"));
        var mapping = path is null ? null : new MemoryMapping(0x1000, 0x2000, "r-xp", 0, path);

        cache.TryFind(mapping, 0x1800, out _, out _, out _).ShouldBeFalse();
        cache.Count.ShouldBe(0);
    }
}
