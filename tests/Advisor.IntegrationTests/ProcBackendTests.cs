using Advisor.IntegrationTests.Support;

namespace Advisor.IntegrationTests;

/// <summary>
/// The /proc backend, asked for and as auto's fallback where perf is out of reach (the tool run as
/// `nobody` through setpriv): the write storm is still found, and the report says how it was seen.
/// </summary>
public sealed class ProcBackendTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("advisor-proc-");

    // nobody writes the sample's data file here, and runs in it.
    public ProcBackendTests() => Nobody.Share(_dir);

    public void Dispose() => _dir.Delete(recursive: true);

    private static IEnumerable<string> Sample(string dataFile, params string[] arguments) =>
        ["--", "dotnet", RepoLayout.Sample("UnbufferedWriter"), "--path", dataFile, .. arguments];

    private ProcessResult AsNobody(params string[] arguments) => Nobody.Advisor(_dir, arguments);

    private static long WriteCalls(ReportJson report) => report.SyscallCount("write") + report.SyscallCount("pwrite64");

    [SkippableFact]
    public void Asked_for_it_finds_the_write_storm_with_exact_counts_and_says_it_is_statistical()
    {
        Privileges.RequireBackend("proc");
        var data = Path.Combine(_dir.FullName, "storm.dat");

        var result = ProcessRunner.Advisor(["run", "--backend", "proc", "--format", "json", .. Sample(data, "--count", "200000")]);

        result.ExitCode.ShouldBe(0, result.Stderr);
        var report = ReportJson.Parse(result.Stdout);
        var summary = SampleSummary.Parse(result.Stderr);
        report.Root.GetProperty("session").GetProperty("backend").GetString().ShouldBe("proc");
        report.Root.GetProperty("session").GetProperty("notes")[0].GetString()!.ShouldContain("statistical");
        report.RuleIds.ShouldBe(["ADV002"], string.Join(" | ", report.Findings("ADV002").Select(f => f.GetProperty("evidence").GetRawText())));
        // Exact while the process lives (the sample's writes plus the runtime's own few); what its threads did in
        // the last interval before it exited is gone with it (a few ms of the storm, more on a busy machine).
        WriteCalls(report).ShouldBeInRange(summary.SyscallWrites * 8 / 10, summary.SyscallWrites + 5_000);
    }

    [SkippableFact]
    public void Asked_for_it_stays_quiet_on_the_fixed_twin()
    {
        Privileges.RequireBackend("proc");
        var data = Path.Combine(_dir.FullName, "fixed.dat");

        var result = ProcessRunner.Advisor(["run", "--backend", "proc", "--format", "json", .. Sample(data, "--count", "200000", "--fixed")]);

        result.ExitCode.ShouldBe(0, result.Stderr);
        ReportJson.Parse(result.Stdout).RuleIds.ShouldBeEmpty();
    }

    [SkippableFact]
    public void Without_perf_rights_auto_falls_back_to_proc_says_why_and_still_finds_the_storm()
    {
        var data = Path.Combine(_dir.FullName, "nobody.dat");

        var result = AsNobody(["run", "--format", "json", .. Sample(data, "--count", "200000")]);

        result.ExitCode.ShouldBe(0, result.Stderr);
        var report = ReportJson.Parse(result.Stdout);
        report.Root.GetProperty("session").GetProperty("backend").GetString().ShouldBe("proc");
        var notes = report.Root.GetProperty("session").GetProperty("notes").EnumerateArray().Select(n => n.GetString()!).ToList();
        notes.ShouldContain(n => n.StartsWith("the perf backend could not be used: ", StringComparison.Ordinal));
        notes.ShouldContain("using the proc backend instead");
        var storm = report.Findings("ADV002").ShouldHaveSingleItem();
        storm.GetProperty("evidence").GetProperty("path").GetString().ShouldBe(data);
    }

    [SkippableFact]
    public void Asked_for_perf_without_its_rights_is_exit_4_naming_the_remedy()
    {
        var data = Path.Combine(_dir.FullName, "refused.dat");
        var output = Path.Combine(_dir.FullName, "out.json");

        var result = AsNobody(["run", "--backend", "perf", "-o", output, .. Sample(data, "--count", "1000")]);

        result.ExitCode.ShouldBe(4, result.Stderr);
        var line = result.Stderr.Trim().Split('\n').ShouldHaveSingleItem();
        line.ShouldContain("--backend ptrace or proc");
        File.Exists(output).ShouldBeFalse();
    }

    [Fact]
    public void An_unknown_backend_is_a_usage_error_listing_the_choices()
    {
        var result = ProcessRunner.Advisor("run", "--backend", "dtrace", "--", "true");

        result.ExitCode.ShouldBe(2);
        result.Stderr.Trim().ShouldBe("dotnet-advisor: --backend 'dtrace' is not a backend: use auto, bpf, perf, ptrace, proc");
    }
}
