using Advisor.Core.Failures;
using Advisor.Core.Findings;
using Advisor.Core.Rules;
using Advisor.Core.Rules.Configuration;

namespace Advisor.UnitTests.Rules;

public class ConfigurationTests
{
    private static AdvisorConfig Parse(string yaml) => ConfigLoader.Load(yaml, "advisor.yaml", "/work");

    private static string Problem(string yaml, params string[] ruleDirectories)
    {
        var e = Should.Throw<AdvisorException>(() => RuleCatalog.Load(Parse(yaml), ruleDirectories));
        e.Kind.ShouldBe(FailureKind.Usage);
        return e.Message;
    }

    [Fact]
    public void Overrides_change_severity_and_thresholds_and_none_turns_a_rule_off()
    {
        var catalog = RuleCatalog.Load(Parse("""
            rules:
              ADV002:
                severity: error
                thresholds:
                  minCalls: 5000
                  maxAvgBytes: 4KiB
              ADV001: { severity: none }
            """), []);

        var adv002 = catalog.Find("ADV002")!;
        adv002.Severity.ShouldBe(Severity.Error);
        adv002.Thresholds["minCalls"].ShouldBe(5000);
        adv002.Thresholds["maxAvgBytes"].ShouldBe(4096);
        adv002.ThresholdText["maxAvgBytes"].ShouldBe("4KiB");
        adv002.Thresholds["minAvgRun"].ShouldBe(RuleCatalog.BuiltIn().Find("ADV002")!.Thresholds["minAvgRun"]);
        catalog.Find("unbuffered-writes").ShouldBeSameAs(adv002);
        catalog.Find("ADV001")!.Severity.ShouldBe(Severity.None);
    }

    [Fact]
    public void An_empty_file_changes_nothing()
    {
        RuleCatalog.Load(Parse(""), []).Rules.Select(r => (r.Id, r.Severity)).ShouldBe(RuleCatalog.BuiltIn().Rules.Select(r => (r.Id, r.Severity)));
    }

    [Fact]
    public void Each_problem_is_one_line_with_its_line_number()
    {
        var message = Problem("""
            rules:
              ADV099: { severity: error }
              ADV002:
                severity: loud
                thresholds: { minCals: 10, maxAvgBytes: lots }
            colour: blue
            """);

        message.Split('\n').ShouldBe(
        [
            "advisor.yaml:4: rule ADV002: severity 'loud' must be error, warning, info or none",
            "advisor.yaml:5: rule ADV002: threshold 'maxAvgBytes': 'lots' must be a number, such as 1000, 0.05, 64KiB or 10ms",
            "advisor.yaml:6: unknown setting 'colour' (known: rules, ruleDirectories)",
        ], ignoreOrder: false);
    }

    [Fact]
    public void Unknown_rules_and_thresholds_are_named_with_their_lines()
    {
        var message = Problem("""
            rules:
              ADV099: { severity: error }
              ADV002:
                thresholds: { minCals: 10 }
            """);

        message.Split('\n').ShouldBe(
        [
            "advisor.yaml:2: no rule 'ADV099' (see dotnet-advisor rules list)",
            "advisor.yaml:4: rule ADV002 has no threshold 'minCals' (it has: minCalls, maxAvgBytes, minAvgRun, minWallShare)",
        ]);
    }

    [Fact]
    public void Broken_yaml_is_one_line_with_its_line_number()
    {
        var e = Should.Throw<AdvisorException>(() => Parse("rules:\n  ADV002: [unclosed\n"));

        e.Message.ShouldStartWith("advisor.yaml:");
        e.Message.ShouldContain("invalid YAML");
        e.Message.ShouldNotContain("\n");
    }

    [Fact]
    public void Custom_rules_load_from_a_directory_and_can_be_configured()
    {
        var dir = Directory.CreateTempSubdirectory("advisor-rules-");
        try
        {
            File.WriteAllText(Path.Combine(dir.FullName, "TEAM001-getpid.yaml"), """
                id: TEAM001
                name: getpid-storm
                title: getpid in a loop
                severity: info
                syscalls: [getpid]
                thresholds: { minCalls: 100 }
                when: count >= minCalls
                message: "getpid ×{count} from {site}"
                advice:
                  - text: Cache the process id.
                """);
            File.WriteAllText(Path.Combine(dir.FullName, "notes.txt"), "not a rule");

            var catalog = RuleCatalog.Load(Parse("rules:\n  TEAM001: { severity: warning, thresholds: { minCalls: 5 } }\n"), [dir.FullName]);

            var team = catalog.Find("TEAM001").ShouldNotBeNull();
            team.Severity.ShouldBe(Severity.Warning);
            team.Thresholds["minCalls"].ShouldBe(5);
            catalog.Rules.Count.ShouldBe(RuleCatalog.BuiltIn().Rules.Count + 1);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void A_custom_rule_may_not_take_a_built_in_id_nor_be_invalid()
    {
        var dir = Directory.CreateTempSubdirectory("advisor-rules-");
        try
        {
            var clash = Path.Combine(dir.FullName, "clash.yaml");
            File.WriteAllText(clash, "id: ADV002\nname: x\ntitle: x\nseverity: info\nwhen: count > 1\nmessage: x\nadvice: [{ text: x }]\n");
            Problem("", dir.FullName).ShouldBe($"invalid rule {clash}: id ADV002 is already used by rules/ADV002-unbuffered-writes.yaml");

            File.WriteAllText(clash, "id: TEAM002\nname: x\ntitle: x\nseverity: info\nwhen: count > nonsense\nmessage: x\nadvice: [{ text: x }]\n");
            Problem("", dir.FullName).ShouldStartWith($"invalid rule {clash}: when: unknown metric or threshold 'nonsense'");

            Problem("", Path.Combine(dir.FullName, "missing")).ShouldContain("does not exist");
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
