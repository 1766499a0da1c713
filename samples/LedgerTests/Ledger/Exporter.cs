using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Unicode;

namespace Ledger;

/// <summary>
/// Exports a ledger as text, one line per entry (<c>id;account;amount</c>), with one <c>Write</c> per line
/// to the stream it is given. Whether that costs one syscall per line is the stream's buffering: the caller's
/// choice, which is what the tests compare.
/// </summary>
public static class Exporter
{
    /// <returns>The lines written.</returns>
    [MethodImpl(MethodImplOptions.NoInlining)] // so that stacks name it
    public static int Export(IEnumerable<Entry> entries, Stream output)
    {
        ArgumentNullException.ThrowIfNull(entries);
        ArgumentNullException.ThrowIfNull(output);

        Span<byte> line = stackalloc byte[128];
        int lines = 0;
        foreach (var entry in entries)
        {
            if (!Utf8.TryWrite(line, CultureInfo.InvariantCulture, $"{entry.Id};{entry.Account};{entry.AmountCents / 100m:0.00}\n", out int length))
            {
                throw new InvalidOperationException($"entry {entry.Id} does not fit in a line");
            }

            output.Write(line[..length]);
            lines++;
        }

        return lines;
    }
}
