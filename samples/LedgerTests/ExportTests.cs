using Ledger;

namespace LedgerTests;

/// <summary>
/// The same export of 50,000 lines to a file, through a buffered FileStream (the clean test) and through an
/// unbuffered one (the pathology: one pwrite64 per line, 50,000 in all, which dotnet-advisor flags as ADV002).
/// The Buffering trait selects one or the other: <c>--filter Buffering=Buffered</c> or <c>Buffering=Unbuffered</c>.
/// </summary>
public sealed class ExportTests : IDisposable
{
    private const int Lines = 50_000;

    private readonly string path = Path.Combine(Path.GetTempPath(), $"advisor-ledgertests-{Environment.ProcessId}-{Guid.NewGuid():N}.csv");

    [Fact]
    [Trait("Buffering", "Buffered")]
    public void Export_writes_every_line_buffered()
    {
        // 64 KiB: about 1,500 lines per pwrite64.
        using (var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, bufferSize: 64 * 1024))
        {
            Assert.Equal(Lines, Exporter.Export(Entry.Generate(Lines), file));
        }

        AssertFileHoldsTheLedger();
    }

    [Fact]
    [Trait("Buffering", "Unbuffered")]
    public void Export_writes_every_line_unbuffered()
    {
        // bufferSize 0: no buffering layer, so each line's Write is its own pwrite64.
        using (var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, bufferSize: 0))
        {
            Assert.Equal(Lines, Exporter.Export(Entry.Generate(Lines), file));
        }

        AssertFileHoldsTheLedger();
    }

    public void Dispose() => File.Delete(path);

    private void AssertFileHoldsTheLedger()
    {
        var lines = File.ReadAllLines(path);
        Assert.Equal(Lines, lines.Length);
        Assert.Equal("1;acct-00;-1000.00", lines[0]);
        Assert.Equal("50000;acct-44;420.81", lines[^1]);
    }
}
