using System.Diagnostics;

namespace Advisor.UnitTests.Support;

/// <summary>
/// The bytes a warmed-up piece of code allocates on this thread, for the tests that hold it to zero. A pass may count
/// the runtime's own work (tiered compilation promoting the code meanwhile, on a loaded machine), so passes are run
/// until one allocates nothing — code that allocates allocates in every pass — for a generous while at most.
/// </summary>
internal static class AllocationFree
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    /// <returns>0 as soon as a pass allocated nothing; else the fewest bytes a pass allocated.</returns>
    public static long FewestBytes(Action pass)
    {
        var fewest = long.MaxValue;
        var clock = Stopwatch.StartNew();
        do
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            pass();
            fewest = Math.Min(fewest, GC.GetAllocatedBytesForCurrentThread() - before);
            Thread.Yield(); // lets the runtime's tiering thread finish what it promotes
        }
        while (fewest > 0 && clock.Elapsed < Patience);

        return fewest;
    }
}
