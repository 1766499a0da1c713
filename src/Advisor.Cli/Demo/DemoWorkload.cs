using System.Diagnostics;
using System.Globalization;

namespace Advisor.Cli.Demo;

/// <summary>
/// The workload `demo` profiles: three habits that cost real kernel time and that the rules recognise.
/// It lives inside the tool so the installed tool can demonstrate itself with no other files.
/// </summary>
internal static class DemoWorkload
{
    private const int AuditRecords = 100_000;
    private const int JournalRecords = 300;
    private const int TimestampPolls = 200_000;

    public static int Run()
    {
        var dir = Directory.CreateTempSubdirectory("advisor-demo-");
        try
        {
            var clock = Stopwatch.StartNew();
            WriteAuditLog(Path.Combine(dir.FullName, "audit.log"));
            WriteJournal(Path.Combine(dir.FullName, "journal.dat"));
            PollConfigTimestamp(Path.Combine(dir.FullName, "audit.log"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"demo workload finished in {clock.Elapsed.TotalMilliseconds:0} ms"));
            return 0;
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    /// <summary>bufferSize 1 turns FileStream's buffer off: every 24-byte record is its own write syscall.</summary>
    private static void WriteAuditLog(string path)
    {
        using var log = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, bufferSize: 1);
        Span<byte> record = stackalloc byte[24];
        "audit: user=42 op=read\n"u8.CopyTo(record);
        for (var i = 0; i < AuditRecords; i++)
        {
            log.Write(record);
        }
    }

    /// <summary>Flush(true) per record: an fsync waits for the disk each time.</summary>
    private static void WriteJournal(string path)
    {
        using var journal = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, bufferSize: 4096);
        Span<byte> record = stackalloc byte[128];
        record.Fill((byte)'j');
        for (var i = 0; i < JournalRecords; i++)
        {
            journal.Write(record);
            journal.Flush(flushToDisk: true);
        }
    }

    /// <summary>Asks the kernel for a timestamp that never changes, once per loop iteration.</summary>
    private static void PollConfigTimestamp(string path)
    {
        var changes = 0;
        var last = DateTime.MinValue;
        for (var i = 0; i < TimestampPolls; i++)
        {
            var stamp = File.GetLastWriteTimeUtc(path);
            if (stamp != last)
            {
                changes++;
                last = stamp;
            }
        }

        GC.KeepAlive(changes);
    }
}
