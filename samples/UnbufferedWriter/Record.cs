namespace UnbufferedWriter;

/// <summary>
/// Deterministic record payload: the record number, zero-padded and right-aligned, then '\n'.
/// A 16-byte record reads "000000000000042\n", so the output file is plain text that tests can check.
/// </summary>
internal static class Record
{
    public static byte[] Create(int size)
    {
        byte[] record = new byte[size];
        record.AsSpan().Fill((byte)'0');
        record[^1] = (byte)'\n';
        return record;
    }

    /// <summary>Writes <paramref name="number"/> into the record in place, so the write loop allocates nothing.</summary>
    public static void Stamp(Span<byte> record, int number)
    {
        // An int has at most 10 digits; the digits to their left keep the '0' written by Create.
        int end = record.Length - 1, start = Math.Max(0, end - 10);
        for (int i = end - 1; i >= start; i--)
        {
            record[i] = (byte)('0' + (number % 10));
            number /= 10;
        }
    }
}
