using System.Runtime.InteropServices;
using Advisor.Linux.Syscalls;

namespace Advisor.UnitTests.Linux;

public sealed class ErrnoTableTests
{
    public static TheoryData<string, int, string> Anchors()
    {
        var data = new TheoryData<string, int, string>();
        foreach (var architecture in new[] { "x86_64", "aarch64" })
        {
            data.Add(architecture, 1, "EPERM");
            data.Add(architecture, 2, "ENOENT");
            data.Add(architecture, 4, "EINTR");
            data.Add(architecture, 11, "EAGAIN");
            data.Add(architecture, 13, "EACCES");
            data.Add(architecture, 32, "EPIPE");
            data.Add(architecture, 35, "EDEADLK");
            data.Add(architecture, 95, "EOPNOTSUPP");
            data.Add(architecture, 110, "ETIMEDOUT");
            data.Add(architecture, 133, "EHWPOISON");
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Anchors))]
    public void AnchorsResolveBothWays(string architecture, int errno, string name)
    {
        var table = LinuxTables.Errno(architecture);

        table.NameOf(errno).ShouldBe(name);
        table.TryGetNumber(name, out var back).ShouldBeTrue();
        back.ShouldBe(errno);
    }

    [Theory]
    [InlineData("x86_64", "EWOULDBLOCK")]
    [InlineData("x86_64", "EDEADLOCK")]
    [InlineData("x86_64", "ENOTSUP")]
    [InlineData("arm64", "EWOULDBLOCK")]
    [InlineData("arm64", "EDEADLOCK")]
    [InlineData("arm64", "ENOTSUP")]
    public void AliasesAreNotSeparateEntries(string architecture, string alias) =>
        LinuxTables.Errno(architecture).TryGetNumber(alias, out _).ShouldBeFalse();

    [Theory]
    [InlineData("x86_64")]
    [InlineData("amd64")]
    [InlineData("aarch64")]
    [InlineData("arm64")]
    public void UnknownNumbersGetAPlaceholderName(string architecture)
    {
        var table = LinuxTables.Errno(architecture);

        table.NameOf(999).ShouldBe("E999");
        table.NameOf(41).ShouldBe("E41"); // a hole in asm-generic's numbering
    }

    [Fact]
    public void EveryNumberFromOneTo133ExceptTheHolesHasOneName()
    {
        // asm-generic/errno.h leaves 41 and 58 unassigned; pinning the exact key set catches both a
        // dropped and an invented entry.
        var expected = Enumerable.Range(1, 133).Except([41, 58]).ToArray();

        Errnos.Names.Keys.Order().ShouldBe(expected);
        Errnos.Names.Values.Distinct(StringComparer.Ordinal).Count().ShouldBe(Errnos.Names.Count);
    }

    [Fact]
    public void UnsupportedArchitecturesThrow() =>
        Should.Throw<PlatformNotSupportedException>(() => LinuxTables.Errno("mips64"));

    [SkippableFact]
    public void CurrentErrnoIsAvailableOnSupportedMachines()
    {
        var arch = RuntimeInformation.OSArchitecture;
        Prerequisite.Require(arch is Architecture.X64 or Architecture.Arm64, $"no table for {arch}");

        LinuxTables.CurrentErrno.NameOf(2).ShouldBe("ENOENT");
    }
}
