using Advisor.Linux.Symbols;

namespace Advisor.UnitTests.Symbols;

public class ProcMapsTests
{
    [Fact]
    public void Lines_parse_with_and_without_paths_sorted_by_start_and_malformed_ones_are_skipped()
    {
        var maps = ProcMaps.Parse(
            "7f0000001000-7f0000002000 r-xp 00003000 08:01 1234                       /usr/lib/my lib.so\n" +
            "7f0000000000-7f0000001000 rw-p 00000000 00:00 0 \n" +
            "7ffd00000000-7ffd00002000 r-xp 00000000 00:00 0                          [vdso]\n" +
            "7f0100000000-7f0100100000 r-xs 00000000 00:01 99                         /memfd:doublemapper (deleted)\n" +
            "garbage line\n" +
            "zz-10 r-xp 0 0 0 /x\n" +
            "2000-1000 r-xp 0 0 0 /backwards\n" +
            "1000-2000 r-xp nothex 0 0 /bad-offset\n" +
            "1000-2000 r-xp 0 0\n");

        maps.Count.ShouldBe(4);
        maps[0].ShouldBe(new MemoryMapping(0x7f0000000000, 0x7f0000001000, "rw-p", 0, null));
        maps[0].IsExecutable.ShouldBeFalse();
        maps[1].Path.ShouldBe("/usr/lib/my lib.so");
        maps[1].Offset.ShouldBe(0x3000UL);
        maps[1].IsExecutable.ShouldBeTrue();
        maps[2].Path.ShouldBe("/memfd:doublemapper (deleted)");
        maps[3].Path.ShouldBe("[vdso]");
    }

    [Fact]
    public void Contains_is_half_open()
    {
        var mapping = new MemoryMapping(0x1000, 0x2000, "r-xp", 0, "/lib/x.so");

        mapping.Contains(0xfff).ShouldBeFalse();
        mapping.Contains(0x1000).ShouldBeTrue();
        mapping.Contains(0x1fff).ShouldBeTrue();
        mapping.Contains(0x2000).ShouldBeFalse();
    }

    [Fact]
    public void This_process_has_executable_file_mappings_and_a_gone_one_has_none()
    {
        ProcMaps.Read(Environment.ProcessId).ShouldContain(m => m.IsExecutable && m.Path != null && m.Path.StartsWith('/'));
        ProcMaps.Read(int.MaxValue).ShouldBeEmpty();
        ProcMaps.Read(-1).ShouldBeEmpty();
    }
}
