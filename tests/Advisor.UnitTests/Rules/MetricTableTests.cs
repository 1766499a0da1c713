using Advisor.Core.Rules.Metrics;

namespace Advisor.UnitTests.Rules;

/// <summary>The one table of metrics: each has one slot, one unique name, and says what it means.</summary>
public class MetricTableTests
{
    [Fact]
    public void Every_metric_has_the_slot_of_its_place_in_the_table_and_a_unique_name()
    {
        Metric.All.Select(m => m.Index).ShouldBe(Enumerable.Range(0, Metric.All.Count));
        Metric.All.Select(m => m.Name).ShouldBeUnique();
        Metric.All.ShouldAllBe(m => m.Meaning.Length > 0);
        Metric.ByName["siteShare"].ShouldBeSameAs(Metric.SiteShare);
    }

    [Fact]
    public void Metrics_and_message_labels_do_not_share_names()
    {
        Metric.All.Select(m => m.Name).Intersect(MessageLabels.All).ShouldBeEmpty();
    }

    [Fact]
    public void A_rules_own_metric_is_not_read_from_a_group()
    {
        var values = new MetricValues { [Metric.Count] = 3 };
        var group = new MetricGroup([], values, new Dictionary<string, string>(), ([], Advisor.Core.Stacks.CallStacks.None), []);

        group.TryGet("count", out var count).ShouldBeTrue();
        count.ShouldBe(3);
        group.TryGet("siteShare", out _).ShouldBeFalse(); // each rule computes it from its callSite
        group.TryGet("nonsense", out _).ShouldBeFalse();
    }
}
