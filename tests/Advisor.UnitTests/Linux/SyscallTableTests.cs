using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using Advisor.Linux.Syscalls;

namespace Advisor.UnitTests.Linux;

public sealed partial class SyscallTableTests
{
    private const string X86_64Header = "/usr/include/x86_64-linux-gnu/asm/unistd_64.h";
    private const string GenericHeader = "/usr/include/asm-generic/unistd.h";

    [Theory]
    [InlineData(0, "read")]
    [InlineData(1, "write")]
    [InlineData(2, "open")]
    [InlineData(3, "close")]
    [InlineData(18, "pwrite64")]
    [InlineData(74, "fsync")]
    [InlineData(75, "fdatasync")]
    [InlineData(202, "futex")]
    [InlineData(257, "openat")]
    [InlineData(277, "sync_file_range")]
    [InlineData(298, "perf_event_open")]
    [InlineData(332, "statx")]
    [InlineData(435, "clone3")]
    public void X86_64AnchorsResolveBothWays(int number, string name) => AssertAnchor("x86_64", number, name);

    [Theory]
    [InlineData(25, "fcntl")]
    [InlineData(38, "renameat")]
    [InlineData(43, "statfs")]
    [InlineData(44, "fstatfs")]
    [InlineData(56, "openat")]
    [InlineData(57, "close")]
    [InlineData(62, "lseek")]
    [InlineData(63, "read")]
    [InlineData(64, "write")]
    [InlineData(66, "writev")]
    [InlineData(67, "pread64")]
    [InlineData(68, "pwrite64")]
    [InlineData(71, "sendfile")]
    [InlineData(79, "newfstatat")]
    [InlineData(80, "fstat")]
    [InlineData(82, "fsync")]
    [InlineData(83, "fdatasync")]
    [InlineData(84, "sync_file_range")]
    [InlineData(98, "futex")]
    [InlineData(101, "nanosleep")]
    [InlineData(124, "sched_yield")]
    [InlineData(163, "getrlimit")]
    [InlineData(164, "setrlimit")]
    [InlineData(198, "socket")]
    [InlineData(203, "connect")]
    [InlineData(206, "sendto")]
    [InlineData(207, "recvfrom")]
    [InlineData(215, "munmap")]
    [InlineData(220, "clone")]
    [InlineData(221, "execve")]
    [InlineData(222, "mmap")]
    [InlineData(223, "fadvise64")]
    [InlineData(226, "mprotect")]
    [InlineData(233, "madvise")]
    [InlineData(241, "perf_event_open")]
    [InlineData(260, "wait4")]
    [InlineData(291, "statx")]
    [InlineData(435, "clone3")]
    [InlineData(447, "memfd_secret")]
    public void Arm64AnchorsResolveBothWays(int number, string name) => AssertAnchor("aarch64", number, name);

    [Theory]
    [InlineData("arm64", "open")]
    [InlineData("arm64", "stat")]
    [InlineData("arm64", "fork")]
    [InlineData("arm64", "epoll_wait")]
    [InlineData("arm64", "sync_file_range2")]
    [InlineData("arm64", "fstatat64")]
    [InlineData("arm64", "mmap2")]
    [InlineData("arm64", "futex_time64")]
    [InlineData("x86_64", "syscalls")]
    [InlineData("arm64", "arch_specific_syscall")]
    public void BookkeepingAndOtherAbiNamesAreAbsent(string architecture, string name) =>
        LinuxTables.ForArchitecture(architecture).TryGetNumber(name, out _).ShouldBeFalse();

    [Theory]
    [InlineData("x86_64", "x86_64")]
    [InlineData("amd64", "x86_64")]
    [InlineData("x64", "x86_64")]
    [InlineData("X86_64", "x86_64")]
    [InlineData("AMD64", "x86_64")]
    [InlineData("aarch64", "aarch64")]
    [InlineData("arm64", "aarch64")]
    [InlineData("ARM64", "aarch64")]
    [InlineData("AArch64", "aarch64")]
    public void ArchitectureAliasesMapToTheCanonicalTable(string alias, string canonical)
    {
        var table = LinuxTables.ForArchitecture(alias);

        table.Architecture.ShouldBe(canonical);
        table.ShouldBeSameAs(LinuxTables.ForArchitecture(canonical));
    }

    [Theory]
    [InlineData("riscv64")]
    [InlineData("i686")]
    [InlineData("armv7l")]
    [InlineData("")]
    public void UnsupportedArchitecturesThrow(string architecture)
    {
        var ex = Should.Throw<PlatformNotSupportedException>(() => LinuxTables.ForArchitecture(architecture));
        ex.Message.ShouldNotContain('\n');
        Should.Throw<PlatformNotSupportedException>(() => LinuxTables.PerfEventOpenNumber(architecture));
    }

    [Theory]
    [InlineData("x86_64", 999)]
    [InlineData("x86_64", 335)]
    [InlineData("aarch64", 250)]
    [InlineData("aarch64", 999)]
    [InlineData("aarch64", -1)]
    public void UnknownNumbersGetAPlaceholderName(string architecture, int number) =>
        LinuxTables.ForArchitecture(architecture).NameOf(number)
            .ShouldBe("syscall_" + number.ToString(CultureInfo.InvariantCulture));

    [Theory]
    [InlineData("x86_64")]
    [InlineData("aarch64")]
    public void NamesAreUniquePerTable(string architecture)
    {
        var names = SourceOf(architecture);

        names.Values.Distinct(StringComparer.Ordinal).Count().ShouldBe(names.Count);
        var table = LinuxTables.ForArchitecture(architecture);
        foreach (var (number, name) in names)
        {
            table.TryGetNumber(name, out var back).ShouldBeTrue(name);
            back.ShouldBe(number, name);
        }
    }

    [Theory]
    [InlineData("x86_64", 298)]
    [InlineData("amd64", 298)]
    [InlineData("aarch64", 241)]
    [InlineData("arm64", 241)]
    public void PerfEventOpenNumberAgreesWithTheTable(string architecture, int expected)
    {
        LinuxTables.PerfEventOpenNumber(architecture).ShouldBe(expected);
        LinuxTables.ForArchitecture(architecture).NameOf(expected).ShouldBe("perf_event_open");
    }

    [SkippableFact]
    public void CurrentIsTheTableOfThisMachine()
    {
        var arch = RuntimeInformation.OSArchitecture;
        Prerequisite.Require(arch is Architecture.X64 or Architecture.Arm64, $"no table for {arch}");

        LinuxTables.Current.ShouldBeSameAs(LinuxTables.ForArchitecture(arch == Architecture.X64 ? "x86_64" : "aarch64"));
    }

    [SkippableFact]
    public void X86_64TableMatchesTheInstalledHeaderExactly()
    {
        Prerequisite.Require(File.Exists(X86_64Header), $"{X86_64Header} is not installed (linux-libc-dev)");

        var fromHeader = new Dictionary<int, string>();
        foreach (var line in File.ReadLines(X86_64Header))
        {
            var m = NrDefine().Match(line);
            if (m.Success)
            {
                fromHeader.Add(int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture), m.Groups[1].Value);
            }
        }

        fromHeader.ShouldNotBeEmpty();
        X86_64Syscalls.Names.OrderBy(p => p.Key).ShouldBe(fromHeader.OrderBy(p => p.Key));
    }

    [SkippableFact]
    public void Arm64NamesThatTheGenericHeaderSpellsOutHaveItsNumbers()
    {
        // The generic header spells most names directly; the 32/64-bit ones go through __NR3264_ macros and
        // conditionals that only the generator resolves, so here only the direct ones are cross-checked.
        Prerequisite.Require(File.Exists(GenericHeader), $"{GenericHeader} is not installed (linux-libc-dev)");

        var checkedCount = 0;
        foreach (var line in File.ReadLines(GenericHeader))
        {
            var m = NrDefine().Match(line);
            if (m.Success && Arm64Syscalls.Names.Values.Contains(m.Groups[1].Value, StringComparer.Ordinal))
            {
                LinuxTables.ForArchitecture("aarch64").TryGetNumber(m.Groups[1].Value, out var number).ShouldBeTrue();
                number.ShouldBe(int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture), m.Groups[1].Value);
                checkedCount++;
            }
        }

        checkedCount.ShouldBeGreaterThan(250);
    }

    private static void AssertAnchor(string architecture, int number, string name)
    {
        var table = LinuxTables.ForArchitecture(architecture);

        table.NameOf(number).ShouldBe(name);
        table.TryGetNumber(name, out var back).ShouldBeTrue();
        back.ShouldBe(number);
    }

    private static IReadOnlyDictionary<int, string> SourceOf(string architecture) =>
        architecture == "x86_64" ? X86_64Syscalls.Names : Arm64Syscalls.Names;

    [GeneratedRegex(@"^#define __NR_(\w+)\s+(\d+)\s*$")]
    private static partial Regex NrDefine();
}
