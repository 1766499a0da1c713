namespace Ledger;

/// <summary>One ledger entry: an account debited or credited.</summary>
public sealed record Entry(long Id, string Account, long AmountCents)
{
    /// <summary>A deterministic ledger of <paramref name="count"/> entries, so tests can check what was written.</summary>
    public static IEnumerable<Entry> Generate(int count)
    {
        for (int i = 0; i < count; i++)
        {
            long amount = ((i * 7919L) % 200_000) - 100_000; // debits and credits, up to 1000.00
            yield return new Entry(i + 1, $"acct-{i % 97:00}", amount);
        }
    }
}
