using System.Runtime.InteropServices;
using Advisor.Linux.Symbols;

namespace Advisor.UnitTests.Symbols;

public class NativeSymbolizerTests
{
    [Fact]
    public void An_exported_libc_function_is_named_at_its_address_and_inside_it()
    {
        var getpid = (ulong)NativeLibrary.GetExport(NativeLibrary.Load("libc.so.6"), "getpid");
        var maps = ProcMaps.Read(Environment.ProcessId);
        var symbolizer = new NativeSymbolizer();

        symbolizer.TryResolve(maps, getpid, out var frame).ShouldBeTrue();
        frame.Module.ShouldStartWith("libc.so");
        frame.Symbol.ShouldNotBeNull().ShouldContain("getpid");
        frame.Displacement.ShouldBe(0UL);
        frame.ToString().ShouldBe($"{frame.Module}!{frame.Symbol}");

        symbolizer.TryResolve(maps, getpid + 3, out var inside).ShouldBeTrue();
        inside.Symbol.ShouldBe(frame.Symbol);
        inside.Displacement.ShouldBe(3UL);
    }

    [Fact]
    public void Addresses_outside_file_mappings_are_not_native_frames()
    {
        var symbolizer = new NativeSymbolizer(_ => throw new InvalidOperationException("no file to load"));
        IReadOnlyList<MemoryMapping> maps =
        [
            new(0x1000, 0x2000, "r-xp", 0, null),
            new(0x3000, 0x4000, "r-xs", 0, "/memfd:doublemapper (deleted)"),
            new(0x5000, 0x6000, "r-xp", 0, "[vdso]"),
            new(0x7000, 0x8000, "r-xp", 0, "/usr/lib/libgone.so (deleted)"),
            new(0x9000, 0xa000, "r--p", 0, "/usr/lib/libdata.so"),
        ];

        foreach (var address in new ulong[] { 0x800, 0x1800, 0x2800, 0x3800, 0x5800, 0x7800, 0x9800, 0xb000 })
        {
            symbolizer.TryResolve(maps, address, out _).ShouldBeFalse();
        }
    }

    [Fact]
    public void A_library_without_a_symbol_there_is_named_by_file_offset_and_loaded_once()
    {
        var loads = 0;
        var symbolizer = new NativeSymbolizer(_ =>
        {
            loads++;
            return null;
        });
        IReadOnlyList<MemoryMapping> maps = [new(0x10000, 0x20000, "r-xp", 0x4000, "/opt/lib/libfoo.so")];

        symbolizer.TryResolve(maps, 0x10010, out var frame).ShouldBeTrue();
        frame.ShouldBe(new NativeFrame("libfoo.so", null, 0x4010));
        frame.ToString().ShouldBe("libfoo.so+0x4010");
        symbolizer.TryResolve(maps, 0x10020, out _).ShouldBeTrue();
        loads.ShouldBe(1);
    }

    [Fact]
    public void An_older_wider_mapping_still_covers_an_address_past_a_newer_narrow_one()
    {
        // Snapshots merged over time: a library first seen mapped wide, later split at a higher start.
        var symbolizer = new NativeSymbolizer(_ => null);
        IReadOnlyList<MemoryMapping> maps =
        [
            new(0x10000, 0x30000, "r-xp", 0, "/lib/libwide.so"),
            new(0x18000, 0x19000, "r-xp", 0, "/lib/libnarrow.so"),
        ];

        symbolizer.TryResolve(maps, 0x18800, out var narrow).ShouldBeTrue();
        narrow.Module.ShouldBe("libnarrow.so");
        symbolizer.TryResolve(maps, 0x20000, out var wide).ShouldBeTrue();
        wide.ToString().ShouldBe("libwide.so+0x10000");
    }
}
