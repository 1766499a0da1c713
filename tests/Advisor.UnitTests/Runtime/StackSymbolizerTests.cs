using Advisor.Core.Stacks;
using Advisor.Linux.Symbols;
using Advisor.Runtime.Symbols;
using Advisor.UnitTests.Symbols.ReadyToRun;

namespace Advisor.UnitTests.Runtime;

public class StackSymbolizerTests
{
    private const int Target = 10;

    // Above the kernel's pid_max: no such process exists here, so nothing of its own can be read from /proc.
    private const int GoneChild = 5_000_000;
    private const int DotNetChild = 5_000_001;

    private readonly ManagedMethodMap _methods = new();

    public StackSymbolizerTests()
    {
        _methods.Add(Target, 0x1000, 0x100, "System.Diagnostics.Process", "Start");
        _methods.Add(Target, 0x2000, 0x100, "MyApp.Spawner", "Run");
    }

    [Fact]
    public void A_forked_child_gone_without_maps_of_its_own_is_named_through_the_target_it_copied()
    {
        var stack = new StackSymbolizer(_methods, new MapsHistory(), Target).Symbolize(GoneChild, [0x1010, 0x2021]);

        stack.Frames.Select(f => f.Name).ShouldBe(["System.Diagnostics.Process.Start", "MyApp.Spawner.Run"]);
        stack.CallSite.ShouldBe("MyApp.Spawner.Run → Process.Start");
    }

    [Fact]
    public void A_child_with_methods_of_its_own_is_named_by_them()
    {
        _methods.Add(DotNetChild, 0x1000, 0x100, "TestHost", "Main");

        var stack = new StackSymbolizer(_methods, new MapsHistory(), Target).Symbolize(DotNetChild, [0x1010, 0x2021]);

        stack.Frames.Select(f => f.Name).ShouldBe(["TestHost.Main", "0x2020"]);
    }

    /// <summary>A watch names frames interval after interval: a library loaded meanwhile is named once the mappings are read again.</summary>
    [SkippableFact]
    public void A_library_loaded_after_the_first_frames_were_named_is_named_once_the_mappings_are_read_again()
    {
        var self = Environment.ProcessId;
        var mapped = File.ReadAllLines($"/proc/{self}/maps");
        var libraries = Path.GetDirectoryName(mapped.Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[^1]).First(p => p.EndsWith("/libc.so.6", StringComparison.Ordinal)))!;
        // Several candidates, as tests alongside may have loaded some (libbpf brings libelf and libz).
        var (library, symbol) = new[] { ("libbpf.so.1", "libbpf_major_version"), ("libelf.so.1", "elf_version"), ("libz.so.1", "zlibVersion"), ("libzstd.so.1", "ZSTD_versionNumber"), ("liblzma.so.5", "lzma_version_number") }
            .FirstOrDefault(c => !mapped.Any(l => l.Contains("/" + c.Item1, StringComparison.Ordinal)) && File.Exists(Path.Combine(libraries, c.Item1)));
        Prerequisite.Require(library is not null, "no library both installed and not loaded yet");
        var maps = new MapsHistory();
        var symbolizer = new StackSymbolizer(_methods, maps, self);
        symbolizer.Symbolize(self, [0x1010]); // the mappings read, before the library was loaded
        var address = (ulong)System.Runtime.InteropServices.NativeLibrary.GetExport(System.Runtime.InteropServices.NativeLibrary.Load(library), symbol);
        maps.Capture(self);

        symbolizer.Symbolize(self, [address]).Frames.ShouldHaveSingleItem().Kind.ShouldBe(FrameKind.Unknown);
        symbolizer.RereadMappings();
        var named = symbolizer.Symbolize(self, [address]).Frames.ShouldHaveSingleItem().Name;
        named.ShouldStartWith(library); // the file mapped may be the link's target, libbpf.so.1.1.0
        named.ShouldEndWith("!" + symbol);
    }

    [SkippableFact]
    public void Precompiled_code_the_method_map_does_not_know_is_named_from_its_image_and_the_map_wins_where_it_knows()
    {
        var entry = RuntimeEntryPoints.WeekOfYear();
        var self = Environment.ProcessId;

        var fromImage = new StackSymbolizer(_methods, new MapsHistory(), self).Symbolize(self, [entry.Address]);

        fromImage.Frames.ShouldBe([new StackFrame("System.Globalization.ISOWeek.GetWeekOfYear", FrameKind.Framework)]);

        _methods.Add(self, entry.Address, 0x10, "MyApp.Calendar", "Week");
        var fromMap = new StackSymbolizer(_methods, new MapsHistory(), self).Symbolize(self, [entry.Address]);

        fromMap.Frames.ShouldBe([new StackFrame("MyApp.Calendar.Week", FrameKind.User)]);
    }

    [SkippableFact]
    public void The_runtimes_unnamed_frames_in_a_row_become_one_runtime_frame()
    {
        var self = Environment.ProcessId;
        var coreclr = ProcMaps.Read(self).FirstOrDefault(m => m.IsExecutable && m.Path?.EndsWith("/libcoreclr.so", StringComparison.Ordinal) == true);
        Prerequisite.Require(coreclr is not null, "libcoreclr.so is not mapped in this process");
        var symbols = ElfSymbolTable.Load(coreclr.Path!).ShouldNotBeNull();
        var unnamed = Enumerable.Range(1, 4096).Select(i => coreclr.Start + ((ulong)i * 0x1000))
            .Where(a => a < coreclr.End && !symbols.TryFindByFileOffset(a - coreclr.Start + coreclr.Offset, out _, out _))
            .Take(2).ToArray();
        Prerequisite.Require(unnamed.Length >= 2, "every sampled address of libcoreclr.so has a symbol");
        _methods.Add(self, 0x2000, 0x100, "MyApp.Spawner", "Run");

        var stack = new StackSymbolizer(_methods, new MapsHistory(), self).Symbolize(self, [unnamed[0], unnamed[1] + 1, 0x2021]);

        stack.Frames.ShouldBe([StackSymbolizer.RuntimeFrame, new StackFrame("MyApp.Spawner.Run", FrameKind.User)]);
    }
}
