using Advisor.Linux.Symbols;
using Advisor.Runtime.Symbols;
using Advisor.Runtime.Symbols.ReadyToRun;

namespace Advisor.UnitTests.Symbols.ReadyToRun;

public class ReadyToRunSymbolizerTests
{
    [SkippableFact]
    public void Precompiled_code_is_named_through_the_mapping_of_its_image()
    {
        var maps = ProcMaps.Read(Environment.ProcessId);

        // Several entry points: a generic method's instantiation is not named, anything named is named right.
        var symbolizer = new ReadyToRunSymbolizer();
        var named = 0;
        foreach (var e in RuntimeEntryPoints.OfCoreLib().Take(50))
        {
            if (symbolizer.TryResolve(maps, e.Address, out var method, out var path))
            {
                method.Name.ShouldBe(MethodNames.Display(e.TypeName, e.MethodName));
                path.ShouldBe(RuntimeEntryPoints.CoreLibPath);
                named++;
            }
        }

        named.ShouldBeGreaterThan(0);
    }

    [Fact]
    public void Only_executable_mappings_of_dll_files_are_read_and_each_file_once()
    {
        var loads = new List<string>();
        var symbolizer = new ReadyToRunSymbolizer(path =>
        {
            loads.Add(path);
            return null;
        });
        IReadOnlyList<MemoryMapping> maps =
        [
            new(0x1000, 0x2000, "r-xp", 0, "/usr/lib/libc.so.6"),
            new(0x3000, 0x4000, "r-xp", 0x1000, "/app/MyApp.dll"),
            new(0x5000, 0x6000, "r--p", 0, "/app/Other.dll"),
            new(0x7000, 0x8000, "r-xp", 0, "/app/Gone.dll (deleted)"),
            new(0x9000, 0xa000, "r-xp", 0, null),
        ];

        foreach (var address in new ulong[] { 0x1800, 0x3800, 0x3900, 0x5800, 0x7800, 0x9800, 0xb000 })
        {
            symbolizer.TryResolve(maps, address, out _, out _).ShouldBeFalse();
        }

        loads.ShouldBe(["/app/MyApp.dll"]);
    }
}
