namespace Scenarios;

/// <summary>
/// ADV003 small-reads: a file read back 16 bytes per call through an unbuffered FileStream (bufferSize 0:
/// one read syscall per Read). The fixed twin gives the stream a 64 KiB buffer: the same Read calls, one
/// syscall per 4,096 records.
/// </summary>
internal static class SmallReads
{
    public const int RecordSize = 16;
    private const int FixedBufferSize = 64 * 1024;

    /// <summary>Writes the input file (buffered: this is not the pathology), outside the measured loop.</summary>
    public static string Prepare(int records)
    {
        var path = Path.Combine(Path.GetTempPath(), $"advisor-scenarios-{Environment.ProcessId}.dat");
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, FixedBufferSize);
        var record = new byte[RecordSize];
        for (int i = 0; i < records; i++)
        {
            BitConverter.TryWriteBytes(record, i);
            file.Write(record);
        }

        return path;
    }

    /// <returns>The sum of the record numbers read (a checksum), and the read syscalls the loop made.</returns>
    public static (long Checksum, long Syscalls) Run(string path, bool isFixed)
    {
        int bufferSize = isFixed ? FixedBufferSize : 0;
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize);
        Span<byte> record = stackalloc byte[RecordSize];
        long checksum = 0, records = 0;
        while (file.Read(record) == RecordSize)
        {
            checksum += BitConverter.ToInt32(record);
            records++;
        }

        // Unbuffered: one call per record plus the one that finds the end. Buffered: one per 64 KiB, plus the end.
        long syscalls = isFixed ? (records * RecordSize / FixedBufferSize) + 2 : records + 1;
        return (checksum, syscalls);
    }
}
