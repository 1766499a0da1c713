using Advisor.Linux.Perf;

namespace Advisor.UnitTests.Perf;

public class EventOwnersTests
{
    [Fact]
    public void A_sample_from_the_thread_an_event_was_opened_on_is_direct()
    {
        var owners = new EventOwners();
        owners.Add(10, 1000);
        owners.Add(11, 1001);

        owners.IsDirect(10, 1000).ShouldBeTrue();
        owners.IsDirect(11, 1001).ShouldBeTrue();
    }

    [Fact]
    public void A_sample_of_an_event_from_another_thread_came_through_inheritance()
    {
        var owners = new EventOwners();
        owners.Add(10, 1000);

        owners.IsDirect(10, 1005).ShouldBeFalse();
    }

    [Fact]
    public void An_event_id_never_registered_is_not_direct()
    {
        var owners = new EventOwners();
        owners.Add(10, 1000);

        owners.IsDirect(99, 1000).ShouldBeFalse();
        new EventOwners().IsDirect(10, 1000).ShouldBeFalse();
    }

    [Fact]
    public void Every_event_is_still_found_after_the_table_grows()
    {
        var owners = new EventOwners();
        for (var i = 0; i < 1000; i++)
        {
            owners.Add((ulong)(5000 + i), 20_000 + (i / 4));
        }

        for (var i = 999; i >= 0; i--)
        {
            owners.IsDirect((ulong)(5000 + i), 20_000 + (i / 4)).ShouldBeTrue();
            owners.IsDirect((ulong)(5000 + i), 19_999).ShouldBeFalse();
        }
    }
}
