using Advisor.Core.Aggregation;
using Advisor.Linux.Procfs;

namespace Advisor.UnitTests.Linux;

/// <summary>What /proc says of this process's own fds, as the live aggregation asks.</summary>
public sealed class ProcfsIntrospectorTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("advisor-procfs-");

    public void Dispose() => _dir.Delete(recursive: true);

    /// <summary>The number of this process's fd that refers to <paramref name="path"/>.</summary>
    private static int FdOf(string path) =>
        Directory.EnumerateFileSystemEntries("/proc/self/fd")
            .Where(f => new FileInfo(f).LinkTarget == path)
            .Select(f => int.Parse(Path.GetFileName(f), System.Globalization.CultureInfo.InvariantCulture))
            .First();

    [Fact]
    public void A_directory_is_described_with_a_trailing_slash_and_a_file_without()
    {
        var file = Path.Combine(_dir.FullName, "order.xml");
        File.WriteAllText(file, "<order/>");
        var introspector = new ProcfsIntrospector();

        // A listing in progress holds the directory open (opendir).
        using (var listing = Directory.EnumerateFiles(_dir.FullName).GetEnumerator())
        {
            listing.MoveNext().ShouldBeTrue();
            var described = introspector.DescribeFd(Environment.ProcessId, FdOf(_dir.FullName));
            described.ShouldBe(_dir.FullName + "/");
            FdKinds.Of(described!).ShouldBe(FdKind.Directory);
        }

        using var stream = File.OpenRead(file);
        introspector.DescribeFd(Environment.ProcessId, FdOf(file)).ShouldBe(file);
    }

    [Fact]
    public void The_path_an_open_was_given_is_marked_as_a_directory_when_it_is_one()
    {
        var introspector = new ProcfsIntrospector();

        introspector.PathGivenToOpen(Environment.ProcessId, 99, 0, _dir.FullName).ShouldBe(_dir.FullName + "/");
        introspector.PathGivenToOpen(Environment.ProcessId, 99, 0, "relative/dir").ShouldBe("relative/dir");
    }

    [Fact]
    public void An_fd_read_at_the_start_is_described_as_it_was_after_its_file_is_closed()
    {
        var before = Path.Combine(_dir.FullName, "before.log");
        var after = Path.Combine(_dir.FullName, "after.log");
        var introspector = new ProcfsIntrospector();
        int fd;
        using (File.Create(before))
        {
            fd = FdOf(before);
            introspector.ReadFdsOpenAtStart(Environment.ProcessId);
        }

        using var later = File.Create(after);

        introspector.DescribeFdOpenAtStart(Environment.ProcessId, fd).ShouldBe(before);
        introspector.DescribeFd(Environment.ProcessId, fd).ShouldNotBe(before); // closed, or its number reused
        introspector.DescribeFd(Environment.ProcessId, FdOf(after)).ShouldBe(after);
    }
}
