using Advisor.IntegrationTests.Support;

namespace Advisor.IntegrationTests;

/// <summary>
/// `report strace.log` on logs real strace wrote in this test run, in both of its layouts (-o FILE, and the
/// terminal's with the program's own output mixed in): the same rules fire as on a live recording, and the
/// fixed twin stays quiet.
/// </summary>
public sealed class StraceImportTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("advisor-strace-it-");

    public void Dispose() => _dir.Delete(recursive: true);

    private string File(string name) => Path.Combine(_dir.FullName, name);

    /// <summary>Runs the sample under `strace -f -tt -T -o log`; returns the log and the sample's own summary.</summary>
    private (string Log, SampleSummary Summary) Strace(string sample, params string[] arguments)
    {
        Privileges.RequireTracing();
        Privileges.RequireTool("strace");
        var log = File($"{sample}.strace");
        var result = ProcessRunner.Run("strace", ["-f", "-tt", "-T", "-o", log, "dotnet", RepoLayout.Sample(sample), .. arguments]);
        result.ExitCode.ShouldBe(0, result.Stderr);
        return (log, SampleSummary.Parse(result.Stderr));
    }

    private static ReportJson Report(string log, params string[] options)
    {
        var result = ProcessRunner.Advisor(["report", log, "--format", "json", .. options]);
        result.ExitCode.ShouldBe(0, result.Stderr);
        result.Stderr.ShouldBeEmpty();
        return ReportJson.Parse(result.Stdout);
    }

    [SkippableFact]
    public void The_unbuffered_sample_s_log_is_ADV002_with_the_sample_s_own_count_and_file()
    {
        var (log, summary) = Strace("UnbufferedWriter", "--count", "20000");

        var report = Report(log);

        report.RuleIds.ShouldBe(["ADV002"]);
        var evidence = report.Findings("ADV002")[0].GetProperty("evidence");
        evidence.GetProperty("count").GetInt64().ShouldBe(summary.SyscallWrites);
        evidence.GetProperty("path").GetString().ShouldBe(summary.Path);
        report.Root.GetProperty("session").GetProperty("backend").GetString().ShouldBe("strace-log");
        var target = report.Root.GetProperty("target");
        target.GetProperty("isDotNet").GetBoolean().ShouldBeTrue();
        target.GetProperty("runtimeVersion").GetString().ShouldStartWith("10.");
        report.Threads.ShouldContain(t => t.GetProperty("role").GetString() == "finalizer");
    }

    [SkippableFact]
    public void The_fixed_twin_s_log_has_no_finding()
    {
        var (log, summary) = Strace("UnbufferedWriter", "--count", "20000", "--fixed");

        var report = Report(log);

        report.RuleIds.ShouldBeEmpty();
        report.SyscallCount("pwrite64").ShouldBe(summary.SyscallWrites);
    }

    [SkippableFact]
    public void A_terminal_log_with_the_program_s_output_mixed_in_finds_the_connection_churn_and_its_endpoint()
    {
        Privileges.RequireTracing();
        Privileges.RequireTool("strace");
        var log = File("churn.strace");
        // Without -o, strace writes to stderr: "[pid N]" prefixes, and the sample's own stderr lines in between.
        var result = ProcessRunner.Run("bash", ["-c", $"strace -f -tt -T dotnet '{RepoLayout.Sample("Scenarios")}' --scenario connection-churn 2> '{log}'"]);
        result.ExitCode.ShouldBe(0);
        System.IO.File.ReadLines(log).ShouldContain(l => l.StartsWith("[pid ", StringComparison.Ordinal));

        var report = Report(log);

        report.RuleIds.ShouldBe(["ADV012"]);
        report.Findings("ADV012")[0].GetProperty("message").GetString()!.ShouldMatch(@"connections opened .* to 127\.0\.0\.1:\d+");
        report.Root.GetProperty("session").GetProperty("notes").EnumerateArray().Select(n => n.GetString())
            .ShouldContain(n => n!.Contains("not strace output", StringComparison.Ordinal));
    }

    [SkippableFact]
    public void Every_writer_writes_a_valid_report_of_a_log()
    {
        var (log, _) = Strace("UnbufferedWriter", "--count", "5000");

        var result = ProcessRunner.Advisor(["report", log, "-q", .. WriterChecks.Outputs.SelectMany(o => new[] { "-o", File(o) })]);

        result.ExitCode.ShouldBe(0, result.Stderr);
        WriterChecks.Validate(_dir.FullName);
    }
}
