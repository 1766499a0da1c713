using System.Text.Json;
using Advisor.Cli.Output;
using Advisor.Core.Rules;
using Advisor.Core.Rules.Configuration;

namespace Advisor.UnitTests.Rendering;

/// <summary><c>rules list|explain --format json</c>: the catalogue as scripts and the MCP server read it.</summary>
public class RuleCatalogJsonTests
{
    private static readonly RuleCatalog Catalog = RuleCatalog.Load(AdvisorConfig.Empty, []);

    [Fact]
    public void The_list_has_every_rule_in_force_with_its_heading()
    {
        using var stream = new MemoryStream();
        RuleCatalogJson.WriteList(Catalog.Rules, stream);

        var rules = JsonDocument.Parse(stream.ToArray()).RootElement.GetProperty("rules").EnumerateArray().ToList();
        rules.Select(r => r.GetProperty("id").GetString()).ShouldBe(Catalog.Rules.Select(r => r.Id));
        var storm = rules.Single(r => r.GetProperty("id").GetString() == "ADV002");
        storm.GetProperty("name").GetString().ShouldBe("unbuffered-writes");
        storm.GetProperty("severity").GetString().ShouldBe("warning");
    }

    [Fact]
    public void One_rule_carries_its_condition_thresholds_as_written_and_each_fix()
    {
        var rule = Catalog.Find("unbuffered-writes")!;
        using var stream = new MemoryStream();
        RuleCatalogJson.WriteRule(rule, stream);

        var json = JsonDocument.Parse(stream.ToArray()).RootElement;
        json.GetProperty("id").GetString().ShouldBe("ADV002");
        json.GetProperty("when").GetString().ShouldBe(rule.Condition!.When.Text);
        json.GetProperty("thresholds").EnumerateObject().Select(t => t.Name).ShouldBe(rule.Thresholds.Keys);
        json.GetProperty("syscalls").EnumerateArray().Select(s => s.GetString()).ShouldContain("pwrite64");
        var advice = json.GetProperty("advice").EnumerateArray().ToList();
        advice.Count.ShouldBe(rule.Advice.Count);
        advice.Select(a => a.GetProperty("text").GetString()).ShouldBe(rule.Advice.Select(a => a.Advice.Text));
        advice.Count(a => a.GetProperty("when").GetArrayLength() == 0).ShouldBe(rule.Advice.Count(a => a.IsGeneral));
    }
}
