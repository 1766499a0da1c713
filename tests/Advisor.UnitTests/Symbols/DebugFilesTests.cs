using Advisor.Linux.Elf;
using Advisor.Linux.Symbols;

namespace Advisor.UnitTests.Symbols;

public sealed class DebugFilesTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("advisor-debug-");

    public void Dispose() => _dir.Delete(recursive: true);

    [SkippableFact]
    public void A_stripped_library_names_its_static_function_only_from_the_debug_file_of_its_build_id()
    {
        var compiler = NativeTools.Require("clang-14", "clang", "gcc");
        var objcopy = NativeTools.Require("objcopy");
        var strip = NativeTools.Require("strip");
        var source = Write("lib.c", """
            static int __attribute__((noinline)) hidden_helper(int x) { return x * 3 + 1; }
            int exported_entry(int x) { return hidden_helper(x) + 2; }
            """);
        var built = Path.Combine(_dir.FullName, "lib.so");
        var stripped = Path.Combine(_dir.FullName, "libstripped.so");
        var debug = Path.Combine(_dir.FullName, "lib.debug");
        NativeTools.Run(compiler, "-shared", "-fPIC", "-O1", "-g", "-Wl,--build-id", "-o", built, source);
        NativeTools.Run(objcopy, "--only-keep-debug", built, debug);
        NativeTools.Run(strip, "--strip-all", "-o", stripped, built);

        using (var image = ElfImage.Open(stripped).ShouldNotBeNull())
        {
            image.FindSection(".symtab").ShouldBeNull();
            var buildId = image.ReadBuildId().ShouldNotBeNull();
            buildId.ShouldMatch("^[0-9a-f]{40}$");
            var installed = Path.Combine(_dir.FullName, "root", ".build-id", buildId[..2], buildId[2..] + ".debug");
            Directory.CreateDirectory(Path.GetDirectoryName(installed)!);
            File.Copy(debug, installed);
            new DebugFiles(Path.Combine(_dir.FullName, "root")).Find(buildId).ShouldBe(installed);
        }

        var helper = AddressOf(ElfSymbolTable.Load(built, new DebugFiles(_dir.FullName)).ShouldNotBeNull(), "hidden_helper");

        var withoutDebug = ElfSymbolTable.Load(stripped, new DebugFiles(Path.Combine(_dir.FullName, "empty"))).ShouldNotBeNull();
        withoutDebug.TryFind(helper, out var name, out _).ShouldBeFalse();
        withoutDebug.TryFind(AddressOf(withoutDebug, "exported_entry"), out _, out _).ShouldBeTrue();

        var withDebug = ElfSymbolTable.Load(stripped, new DebugFiles(Path.Combine(_dir.FullName, "root"))).ShouldNotBeNull();
        withDebug.TryFind(helper + 1, out name, out var displacement).ShouldBeTrue();
        (name, displacement).ShouldBe(("hidden_helper", 1UL));

        // The file offset still goes through the stripped library's own segments (clang maps .text at offset = address).
        using var strippedImage = ElfImage.Open(stripped).ShouldNotBeNull();
        var text = strippedImage.FindSection(".text").ShouldNotBeNull();
        withDebug.TryFindByFileOffset(helper - text.Address + text.Offset, out name, out _).ShouldBeTrue();
        name.ShouldBe("hidden_helper");
    }

    [Fact]
    public void Build_ids_that_are_not_lowercase_hex_find_nothing()
    {
        var root = Path.Combine(_dir.FullName, "root");
        Directory.CreateDirectory(Path.Combine(root, ".build-id", "ab"));
        File.WriteAllBytes(Path.Combine(root, ".build-id", "ab", "cdef.debug"), []);
        var files = new DebugFiles(root);

        files.Find("abcdef").ShouldBe(Path.Combine(root, ".build-id", "ab", "cdef.debug"));
        files.Find("ABCDEF").ShouldBeNull();
        files.Find("ab/../ab/cdef").ShouldBeNull();
        files.Find("abc").ShouldBeNull();
        files.Find(null).ShouldBeNull();
        files.Find("abcd00").ShouldBeNull(); // not installed
    }

    /// <summary>Finds a function by scanning the addresses of the small library's text for its name.</summary>
    private static ulong AddressOf(ElfSymbolTable table, string function)
    {
        for (ulong address = 0; address < 0x10000; address++)
        {
            if (table.TryFind(address, out var name, out var displacement) && name == function && displacement == 0)
            {
                return address;
            }
        }

        throw new InvalidOperationException($"{function} is not in the library's first 64 KiB");
    }

    private string Write(string name, string text)
    {
        var path = Path.Combine(_dir.FullName, name);
        File.WriteAllText(path, text);
        return path;
    }
}
