using Advisor.Linux.ProcSampling;

namespace Advisor.UnitTests.ProcSampling;

/// <summary>Where a process's writes went, told by which of its open files grew: tried on this test's own process.</summary>
public sealed class GrowingFilesTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("advisor-grow-");

    public void Dispose() => _dir.Delete(recursive: true);

    [Fact]
    public void The_file_written_since_the_last_look_is_the_busiest_even_with_positioned_writes()
    {
        using var quiet = new FileStream(Path.Combine(_dir.FullName, "quiet.log"), FileMode.Create, FileAccess.Write, FileShare.Read, bufferSize: 0);
        using var busy = new FileStream(Path.Combine(_dir.FullName, "busy.log"), FileMode.Create, FileAccess.Write, FileShare.Read, bufferSize: 0);
        var files = new GrowingFiles(Environment.ProcessId);
        files.Busiest().ShouldBeNull();

        quiet.Write(new byte[16]);
        for (var i = 0; i < 100; i++)
        {
            RandomAccess.Write(busy.SafeFileHandle, new byte[16], i * 16L);
        }

        files.Busiest().ShouldBe((int)busy.SafeFileHandle.DangerousGetHandle());
        files.Busiest().ShouldBeNull();
    }

    [Fact]
    public void A_file_opened_and_written_since_the_first_look_counts_what_it_holds_as_grown()
    {
        var files = new GrowingFiles(Environment.ProcessId);
        files.Busiest().ShouldBeNull();
        using var fresh = new FileStream(Path.Combine(_dir.FullName, "fresh.log"), FileMode.Create, FileAccess.Write, FileShare.Read, bufferSize: 0);
        fresh.Write(new byte[64]);

        files.Busiest(look: true).ShouldBe((int)fresh.SafeFileHandle.DangerousGetHandle());
    }

    [Fact]
    public void A_file_closed_since_the_last_look_still_owns_what_it_grew_by_before_closing()
    {
        var files = new GrowingFiles(Environment.ProcessId);
        var last = new FileStream(Path.Combine(_dir.FullName, "last.log"), FileMode.Create, FileAccess.Write, FileShare.Read, bufferSize: 0);
        var fd = (int)last.SafeFileHandle.DangerousGetHandle();
        files.Busiest(look: true).ShouldBeNull();

        last.Write(new byte[64]);
        last.Dispose(); // the writer's last interval: written, then closed before the sampler looked

        files.Busiest().ShouldBe(fd);
        files.Busiest().ShouldBeNull(); // and forgotten once closed
    }

    [Fact]
    public void The_file_that_grew_one_look_ago_is_remembered_for_writes_counted_a_round_late()
    {
        using var log = new FileStream(Path.Combine(_dir.FullName, "late.log"), FileMode.Create, FileAccess.Write, FileShare.Read, bufferSize: 0);
        var files = new GrowingFiles(Environment.ProcessId);
        files.Busiest(look: true).ShouldBeNull();

        log.Write(new byte[64]);
        files.Busiest().ShouldBe((int)log.SafeFileHandle.DangerousGetHandle());
        files.PreviousBusiest.ShouldBeNull();

        files.Busiest().ShouldBeNull(); // the writer slept through this round
        files.PreviousBusiest.ShouldBe((int)log.SafeFileHandle.DangerousGetHandle());

        files.Busiest().ShouldBeNull();
        files.PreviousBusiest.ShouldBeNull(); // one round late at most: older growth says nothing of new writes
    }
}
