namespace RoundTrips;

/// <summary>
/// One peer's workload. The constructor is the setup (connect, create and fill what the work reads), done
/// before the --start-after gate and the clock; <see cref="Run"/> is the timed work.
/// </summary>
internal interface IRoundTrips : IDisposable
{
    /// <summary>The work on <paramref name="items"/> items: one exchange per item, or batched (the fixed twin).</summary>
    /// <returns>The request/response exchanges the client made with the server.</returns>
    long Run(int items, bool isFixed);

    /// <summary>What the work produced, read after the clock stopped: the same in both modes.</summary>
    long Result();
}
