using Advisor.Core.Rules;
using Advisor.Reports.Markdown;

namespace Advisor.UnitTests.Rules;

/// <summary>docs/rules.md is generated from rules/: this keeps the two in step.</summary>
public class RulesDocumentationTests
{
    /// <summary>
    /// The page as committed is what is compared, always. ADVISOR_UPDATE_DOCS=1 also writes the generated page, for
    /// the developer to review and commit; a stale page still fails that run, so the update never passes unseen.
    /// </summary>
    [Fact]
    public void Docs_rules_md_matches_the_rules()
    {
        var path = Path.Combine(RepositoryFiles.Root, "docs", "rules.md");
        var expected = RuleCatalogMarkdown.Render(RuleCatalog.BuiltIn());
        var committed = File.ReadAllText(path);
        var update = Environment.GetEnvironmentVariable("ADVISOR_UPDATE_DOCS") == "1";
        if (update && committed != expected)
        {
            File.WriteAllText(path, expected);
        }

        committed.ShouldBe(
            expected,
            update
                ? "docs/rules.md was stale and has been regenerated: review and commit it, then run the test again"
                : "docs/rules.md is stale: regenerate it with ADVISOR_UPDATE_DOCS=1 dotnet test tests/Advisor.UnitTests --filter RulesDocumentation (that run writes it and still fails)");
    }

    [Fact]
    public void Every_rule_and_metric_is_in_the_generated_page()
    {
        var page = RuleCatalogMarkdown.Render(RuleCatalog.BuiltIn());

        foreach (var rule in RuleCatalog.BuiltIn().Rules)
        {
            page.ShouldContain($"## {rule.Id} {rule.Name}");
            page.ShouldContain(rule.Condition?.When.Text ?? $"decided by the `{rule.Analyser}` analyser");
        }

        foreach (var metric in Advisor.Core.Rules.Metrics.Metric.All)
        {
            page.ShouldContain($"| `{metric.Name}` |");
        }
    }
}
