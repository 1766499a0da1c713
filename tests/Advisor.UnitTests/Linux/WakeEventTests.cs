using Advisor.Linux.Native;

namespace Advisor.UnitTests.Linux;

/// <summary>The eventfd that wakes a drain or an exit wait out of poll(2).</summary>
public class WakeEventTests
{
    /// <summary>An eventfd polls readable while its count is not zero; the kernel shows the count in fdinfo.</summary>
    private static bool Readable(WakeEvent wake) =>
        File.ReadAllLines($"/proc/self/fdinfo/{wake.Fd}").Single(l => l.StartsWith("eventfd-count:", StringComparison.Ordinal)).Split(':')[1].Trim() is var hex
        && long.Parse(hex, System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture) != 0;

    [Fact]
    public void Set_makes_it_poll_readable_and_Reset_clears_it()
    {
        using var wake = WakeEvent.Create();
        wake.Fd.ShouldBeGreaterThanOrEqualTo(0);
        Readable(wake).ShouldBeFalse();

        wake.Set();
        wake.Set();
        Readable(wake).ShouldBeTrue();

        wake.Reset(); // one read takes both: the count is cleared
        Readable(wake).ShouldBeFalse();
        wake.Reset(); // and reading a clear one does not block
    }

    [Fact]
    public void A_disposed_event_is_not_set_by_a_late_caller()
    {
        var wake = WakeEvent.Create();
        wake.Dispose();

        wake.Fd.ShouldBe(-1);
        Should.NotThrow(wake.Set);
    }
}
