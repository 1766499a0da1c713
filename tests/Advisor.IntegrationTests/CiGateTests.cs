using Advisor.IntegrationTests.Support;

namespace Advisor.IntegrationTests;

/// <summary>The CI gates end to end, on the unbuffered-writes sample and its fixed twin (issue 6 acceptance).</summary>
public sealed class CiGateTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("advisor-gate-");

    public void Dispose() => _dir.Delete(recursive: true);

    private static ProcessResult Run(IEnumerable<string> options, bool isFixed, IReadOnlyDictionary<string, string>? environment = null) =>
        ProcessRunner.Run(
            RepoLayout.Tool,
            ["run", "-q", .. options, "--", "dotnet", RepoLayout.Sample("UnbufferedWriter"), "--count", "50000", .. isFixed ? new[] { "--fixed" } : []],
            environment: environment);

    [SkippableFact]
    public void Fail_on_warning_fails_the_unbuffered_sample_and_passes_its_twin()
    {
        Privileges.RequireTracing();

        var unbuffered = Run(["--fail-on", "warning"], isFixed: false);
        var buffered = Run(["--fail-on", "warning"], isFixed: true);

        unbuffered.ExitCode.ShouldBe(1, unbuffered.Stderr);
        unbuffered.Stderr.ShouldContain("gate failed");
        unbuffered.Stderr.ShouldContain("ADV002 unbuffered-writes finding");
        buffered.ExitCode.ShouldBe(0, buffered.Stderr);
        buffered.Stderr.ShouldNotContain("gate failed");
    }

    [SkippableFact]
    public void A_baseline_from_the_twin_fails_the_unbuffered_sample_naming_the_call_site()
    {
        Privileges.RequireTracing();
        var baseline = Path.Combine(_dir.FullName, "baseline.json");
        Run(["-o", baseline], isFixed: true).ExitCode.ShouldBe(0);

        var again = Run(["--baseline", baseline, "--max-regression", "10%"], isFixed: true);
        var regressed = Run(["--baseline", baseline, "--max-regression", "10%"], isFixed: false);

        again.ExitCode.ShouldBe(0, again.Stderr);
        regressed.ExitCode.ShouldBe(1, regressed.Stderr);
        regressed.Stderr.ShouldContain("baseline");
        regressed.Stderr.ShouldContain("pwrite64 from Program.WriteRecords");
    }

    [SkippableFact]
    public void A_budget_per_call_site_fails_with_a_table_and_GitHub_annotations()
    {
        Privileges.RequireTracing();
        var budget = Path.Combine(_dir.FullName, "budget.yaml");
        File.WriteAllText(budget, "callSites:\n  - site: Program.WriteRecords\n    syscall: pwrite64\n    max: 1000\n");

        var result = Run(["--budget", budget], isFixed: false, new Dictionary<string, string> { ["GITHUB_ACTIONS"] = "true" });

        result.ExitCode.ShouldBe(1, result.Stderr);
        result.Stderr.ShouldContain("pwrite64 from Program.WriteRecords");
        result.Stdout.ShouldContain("::warning title=ADV002 unbuffered-writes::");
        result.Stdout.ShouldContain("::error title=dotnet-advisor budget gate::pwrite64 from Program.WriteRecords");
    }

    [Theory]
    [InlineData("syscalls: [1, 2]\n", "budget.yaml:1: 'syscalls' must map a syscall name to a count")]
    [InlineData("rules:\n  ADV002: none\n", "budget.yaml:2: rules: 'ADV002' needs a count")]
    public void An_invalid_budget_is_one_line_and_exit_code_2_before_anything_runs(string yaml, string expected)
    {
        var budget = Path.Combine(_dir.FullName, "budget.yaml");
        File.WriteAllText(budget, yaml);

        var result = ProcessRunner.Advisor("run", "-q", "--budget", budget, "--", "true");

        result.ExitCode.ShouldBe(2);
        result.Stderr.Trim().ShouldStartWith("dotnet-advisor: " + budget.Replace("budget.yaml", "", StringComparison.Ordinal) + expected);
        result.Stderr.Trim().Split('\n').Length.ShouldBe(1);
    }

    [Fact]
    public void A_baseline_that_is_not_a_report_is_a_usage_error()
    {
        var baseline = Path.Combine(_dir.FullName, "baseline.json");
        File.WriteAllText(baseline, "{ \"hello\": 1 }");

        var result = ProcessRunner.Advisor("run", "-q", "--baseline", baseline, "--", "true");

        result.ExitCode.ShouldBe(2);
        result.Stderr.ShouldStartWith($"dotnet-advisor: baseline {baseline} is not a dotnet-advisor JSON report");
    }
}
