using Advisor.IntegrationTests.Support;

namespace Advisor.IntegrationTests;

/// <summary>Custom rules and advisor.yaml, used as a user would: files in folders, no recompiling.</summary>
public sealed class RuleConfigurationTests : IDisposable
{
    private const string TeamRule = """
        id: TEAM001
        name: small-file-writes
        title: Small writes to our data files
        severity: warning
        category: io
        description: Our data files must be written in blocks of 4 KiB or more.
        syscalls: [pwrite64]
        groupBy: fd
        thresholds: { minCalls: 1000, blockSize: 4KiB }
        when: count >= minCalls and avgBytes < blockSize
        message: "{syscall} ×{count} ({avgBytes:0} B avg) on {path} from {site}"
        advice:
          - text: Write whole 4 KiB blocks (see the team's storage guide).
        """;

    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("advisor-it-");

    public void Dispose() => _dir.Delete(recursive: true);

    [SkippableFact]
    public void A_custom_rule_dropped_in_a_folder_fires_without_recompiling()
    {
        Privileges.RequireTracing();
        var rules = _dir.CreateSubdirectory("team-rules");
        File.WriteAllText(Path.Combine(rules.FullName, "TEAM001-small-file-writes.yaml"), TeamRule);
        var report = Path.Combine(_dir.FullName, "report.json");

        var result = ProcessRunner.Advisor(
            "run", "--rules", rules.FullName, "-q", "-o", report, "--", "dotnet", RepoLayout.Sample("UnbufferedWriter"), "--count", "20000");

        result.ExitCode.ShouldBe(0, result.Stderr);
        var finding = ReportJson.Load(report).Findings("TEAM001").ShouldHaveSingleItem();
        finding.GetProperty("message").GetString()!.ShouldContain("from Program.WriteRecords");
        finding.GetProperty("advice")[0].GetProperty("text").GetString()!.ShouldContain("4 KiB blocks");
    }

    [SkippableFact]
    public void Advisor_yaml_in_the_working_directory_turns_a_rule_off_and_retunes_another()
    {
        Privileges.RequireTracing();
        File.WriteAllText(Path.Combine(_dir.FullName, "advisor.yaml"), """
            rules:
              ADV002: { severity: none }
            """);
        var report = Path.Combine(_dir.FullName, "report.json");

        var result = ProcessRunner.Run(
            RepoLayout.Tool, ["run", "-q", "-o", report, "--", "dotnet", RepoLayout.Sample("UnbufferedWriter"), "--count", "200000"], workingDirectory: _dir.FullName);

        result.ExitCode.ShouldBe(0, result.Stderr);
        // Silenced, and not reported again as a generic syscall storm either.
        ReportJson.Load(report).RuleIds.ShouldBeEmpty();
    }

    [Fact]
    public void An_invalid_custom_rule_is_one_line_naming_the_file_and_exit_code_2()
    {
        var rules = _dir.CreateSubdirectory("bad-rules");
        var file = Path.Combine(rules.FullName, "TEAM002.yaml");
        File.WriteAllText(file, TeamRule.Replace("TEAM001", "TEAM002", StringComparison.Ordinal).Replace("avgBytes < blockSize", "avgBytes < blokSize", StringComparison.Ordinal));

        var result = ProcessRunner.Advisor("rules", "list", "--rules", rules.FullName);

        result.ExitCode.ShouldBe(2);
        var line = result.Stderr.Trim().Split('\n').ShouldHaveSingleItem();
        line.ShouldContain(file);
        line.ShouldContain("unknown metric or threshold 'blokSize'");
        result.Stderr.ShouldNotContain("   at ");
    }

    [Fact]
    public void A_bad_configuration_names_each_problem_with_its_line_and_exits_2()
    {
        var config = Path.Combine(_dir.FullName, "strict.yaml");
        File.WriteAllText(config, "rules:\n  ADV099: { severity: error }\n  ADV002:\n    thresholds: { minCals: 5 }\n");

        var result = ProcessRunner.Advisor("rules", "list", "--config", config);

        result.ExitCode.ShouldBe(2);
        result.Stderr.Trim().Split('\n').ShouldBe(
        [
            $"dotnet-advisor: {config}:2: no rule 'ADV099' (see dotnet-advisor rules list)",
            $"dotnet-advisor: {config}:4: rule ADV002 has no threshold 'minCals' (it has: minCalls, maxAvgBytes, minAvgRun, minWallShare)",
        ]);
    }

    [Fact]
    public void Rules_explain_shows_a_rule_and_an_unknown_id_is_a_usage_error()
    {
        var explained = ProcessRunner.Advisor("rules", "explain", "unbuffered-writes");
        explained.ExitCode.ShouldBe(0, explained.Stderr);
        explained.Stdout.ShouldContain("ADV002 unbuffered-writes");
        explained.Stdout.ShouldContain("fires when");
        explained.Stdout.ShouldContain("bufferSize: 64 * 1024");

        var unknown = ProcessRunner.Advisor("rules", "explain", "ADV999");
        unknown.ExitCode.ShouldBe(2);
        unknown.Stderr.Trim().ShouldBe("dotnet-advisor: no rule 'ADV999' (see dotnet-advisor rules list)");
    }
}
