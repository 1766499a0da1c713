using Advisor.Core.Failures;
using Advisor.Core.Gates;

namespace Advisor.UnitTests.Gates;

/// <summary>Budget files: what they may say, and one line per problem with its line number.</summary>
public class BudgetLoaderTests
{
    [Fact]
    public void A_budget_holds_syscall_rule_and_call_site_limits()
    {
        var budget = BudgetLoader.Load(
            """
            syscalls:
              pwrite64: 1_000
              fsync: 0
            rules:
              ADV002: 0
            callSites:
              - site: MyApp.AuditLog.Write
                syscall: pwrite64
                max: 100
              - site: MyApp.Cache.Load
                max: 10
            """,
            "budget.yaml");

        budget.Syscalls.ShouldBe(new Dictionary<string, long> { ["pwrite64"] = 1000, ["fsync"] = 0 });
        budget.Rules.ShouldBe(new Dictionary<string, long> { ["ADV002"] = 0 });
        budget.CallSites.ShouldBe([new CallSiteBudget("MyApp.AuditLog.Write", "pwrite64", 100), new CallSiteBudget("MyApp.Cache.Load", null, 10)]);
    }

    [Fact]
    public void Every_problem_is_one_line_with_its_line_number()
    {
        var e = Should.Throw<AdvisorException>(() => BudgetLoader.Load(
            """
            syscalls:
              pwrite64: lots
            limits: 3
            callSites:
              - syscall: read
            """,
            "budget.yaml"));

        e.Kind.ShouldBe(FailureKind.Usage);
        e.Message.Split(Environment.NewLine).ShouldBe(
        [
            "budget.yaml:2: syscalls: 'pwrite64' needs a count (a whole number, 0 or more), got 'lots'",
            "budget.yaml:3: unknown setting 'limits' (known: syscalls, rules, callSites)",
            "budget.yaml:5: a call-site budget needs 'site' and 'max'",
        ]);
    }

    [Fact]
    public void Broken_yaml_names_the_line()
    {
        var e = Should.Throw<AdvisorException>(() => BudgetLoader.Load("syscalls:\n  write: [1\n", "b.yaml"));

        e.Message.ShouldStartWith("b.yaml:");
        e.Message.ShouldContain("invalid YAML");
        e.Message.ShouldNotContain('\n');
    }
}
