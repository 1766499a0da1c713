namespace Advisor.UnitTests.Layering;

/// <summary>The namespaces depend one way, in the order docs/architecture.md gives, as the built assemblies show.</summary>
public sealed class NamespaceOrderTests
{
    [Fact]
    public void The_built_assemblies_follow_the_documented_order()
    {
        var graph = NamespaceDependencies.Read(NamespaceDependencies.ToolAssemblies);

        var violations = NamespaceOrder.Documented().Violations(graph);

        graph.Count.ShouldBeGreaterThan(40); // the reader saw the tool's namespaces, not none
        violations.ShouldBeEmpty();
    }

    [Fact]
    public void A_use_of_a_later_namespace_is_a_violation_and_an_admitted_cycle_is_not()
    {
        var order = new NamespaceOrder(["Advisor.Core.Events", "Advisor.Core.Hang + Advisor.Core.Rules", "Advisor.Core.Reporting"]);
        var graph = new Dictionary<string, IReadOnlySet<string>>
        {
            ["Advisor.Core.Rules.Loading"] = new HashSet<string> { "Advisor.Core.Hang.Verdicts", "Advisor.Core.Events" },
            ["Advisor.Core.Hang"] = new HashSet<string> { "Advisor.Core.Rules" },
            ["Advisor.Core.Events"] = new HashSet<string> { "Advisor.Core.Reporting.Exporters" },
            ["Advisor.Core.Monitoring"] = new HashSet<string>(),
        };

        var violations = order.Violations(graph);

        violations.ShouldBe(
        [
            "Advisor.Core.Events uses Advisor.Core.Reporting, which comes after it",
            "Advisor.Core.Monitoring is not in the documented order: place it",
        ]);
    }

    [Fact]
    public void A_call_inside_a_method_body_counts_as_a_use()
    {
        // ReportWorkflow calls StraceLogImport only inside method bodies, never in a signature.
        var graph = NamespaceDependencies.Read([typeof(global::Advisor.Cli.Sessions.ProfileWorkflow).Assembly]);

        graph["Advisor.Cli.Sessions"].ShouldContain("Advisor.Linux.Strace");
    }
}
