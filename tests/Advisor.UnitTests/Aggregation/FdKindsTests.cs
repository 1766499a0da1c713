using Advisor.Core.Aggregation;

namespace Advisor.UnitTests.Aggregation;

/// <summary>An fd's kind, told from its description as /proc, an strace log or a recording gives it.</summary>
public class FdKindsTests
{
    [Theory]
    [InlineData("/var/log/app.log", FdKind.File)]
    [InlineData("/tmp/drop/", FdKind.Directory)]
    [InlineData("/", FdKind.Directory)]
    [InlineData("pipe:[81]", FdKind.Pipe)]
    [InlineData("tcp 127.0.0.1:41234 → 127.0.0.1:5000", FdKind.Socket)]
    [InlineData("udp 0.0.0.0:8125", FdKind.Socket)]
    [InlineData("unix /run/app.sock", FdKind.Socket)]
    [InlineData("socket:[12345]", FdKind.Socket)]
    [InlineData("anon_inode:[eventfd]", FdKind.Event)]
    [InlineData("anon_inode:inotify", FdKind.Event)]
    [InlineData("/dev/pts/3", FdKind.Terminal)]
    [InlineData("/dev/tty", FdKind.Terminal)]
    [InlineData("/dev/null", FdKind.Device)]
    [InlineData("/dev/shm/sem.lock", FdKind.File)]
    [InlineData("fd 7 (closed before it was resolved)", FdKind.None)]
    [InlineData("stdout (inherited)", FdKind.None)]
    public void The_kind_comes_from_the_description(string description, FdKind kind)
    {
        FdKinds.Of(description).ShouldBe(kind);
    }

    [Fact]
    public void A_directory_is_written_with_one_trailing_slash()
    {
        FdKinds.AsDirectory("/tmp/drop").ShouldBe("/tmp/drop/");
        FdKinds.AsDirectory("/tmp/drop/").ShouldBe("/tmp/drop/");
    }

    [Fact]
    public void Kinds_are_spelled_for_rule_files_and_read_back()
    {
        FdKinds.Names.ShouldBe(["none", "file", "directory", "socket", "pipe", "terminal", "device", "event"]);
        FdKinds.TryParse("directory", out var kind).ShouldBeTrue();
        kind.ShouldBe(FdKind.Directory);
        FdKinds.TryParse("folder", out _).ShouldBeFalse();
    }
}
