using Advisor.Core.Monitoring;

namespace Advisor.UnitTests.Monitoring;

/// <summary>Evidence saved once per cooldown per process, at most a limit per run; refusals said once.</summary>
public class CollectionLimiterTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 3, 12, 0, 0, TimeSpan.Zero);

    private static DateTimeOffset At(int minute) => T0.AddMinutes(minute);

    [Fact]
    public void One_collection_per_process_per_cooldown_and_the_refusal_said_once_per_cooldown()
    {
        var limiter = new CollectionLimiter(TimeSpan.FromMinutes(10), 10);

        limiter.Ask(1, At(0)).ShouldBe(new CollectionPermit(true, null));
        limiter.Ask(1, At(1)).ShouldBe(new CollectionPermit(false, "within the cooldown until 12:10:00Z"));
        limiter.Ask(1, At(2)).ShouldBe(new CollectionPermit(false, null));
        limiter.Ask(2, At(2)).Granted.ShouldBeTrue(); // another process has its own cooldown
        limiter.Ask(1, At(10)).Granted.ShouldBeTrue();
        limiter.Ask(1, At(11)).Refusal.ShouldBe("within the cooldown until 12:20:00Z"); // said again: a new cooldown
        limiter.Granted.ShouldBe(3);
    }

    [Fact]
    public void The_limit_holds_for_the_whole_run_and_is_said_once()
    {
        var limiter = new CollectionLimiter(TimeSpan.FromMinutes(1), 2);

        limiter.Ask(1, At(0)).Granted.ShouldBeTrue();
        limiter.Ask(2, At(0)).Granted.ShouldBeTrue();
        limiter.Ask(3, At(0)).ShouldBe(new CollectionPermit(false, "the limit of 2 collections for this run is reached"));
        limiter.Ask(1, At(5)).ShouldBe(new CollectionPermit(false, null));
    }

    [Fact]
    public void A_process_forgotten_frees_its_pid()
    {
        var limiter = new CollectionLimiter(TimeSpan.FromMinutes(10), 10);
        limiter.Ask(1, At(0));
        limiter.Forget(1);

        limiter.Ask(1, At(1)).Granted.ShouldBeTrue();
    }

    [Fact]
    public void Names_carry_process_pid_utc_time_and_trigger_with_unsafe_characters_replaced() =>
        CollectionName.Of("my app/1", 42, new DateTimeOffset(2026, 12, 3, 13, 4, 5, TimeSpan.FromHours(1)), "ADV016")
            .ShouldBe("advisor-my_app_1-42-20261203T120405Z-ADV016");
}
