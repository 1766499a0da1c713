using Advisor.IntegrationTests.Support;

namespace Advisor.IntegrationTests;

/// <summary>Each sample under `run`: its pathology is found with the right numbers; its fixed twin is not.</summary>
public sealed class RunSamplesTests
{
    [SkippableFact]
    public void Unbuffered_writer_is_reported_as_ADV002_with_its_write_count_and_path()
    {
        var traced = TracedSample.Run("UnbufferedWriter", "--count", "200000", "--size", "16");

        traced.Result.ExitCode.ShouldBe(0, traced.Result.Stderr);
        var finding = traced.Report.Findings("ADV002").ShouldHaveSingleItem();
        var evidence = finding.GetProperty("evidence");
        evidence.GetProperty("count").GetInt64().ShouldBeInRange(198_000, 202_000);
        evidence.GetProperty("count").GetInt64().ShouldBe(traced.Summary.SyscallWrites);
        evidence.GetProperty("path").GetString().ShouldBe(traced.Summary.Path);
        evidence.GetProperty("syscalls")[0].GetString().ShouldBe("pwrite64");
        evidence.GetProperty("averageBytes").GetDouble().ShouldBe(16, tolerance: 0.01);
        finding.GetProperty("estimatedSavingMs").GetDouble().ShouldBeGreaterThan(0);
        finding.GetProperty("advice").GetArrayLength().ShouldBeGreaterThan(0);
        // One root cause, reported once: the write storm is not also a generic syscall storm.
        traced.Report.RuleIds.ShouldNotContain("ADV001");
    }

    [SkippableFact]
    public void Buffered_twin_of_the_unbuffered_writer_yields_no_finding()
    {
        var traced = TracedSample.Run("UnbufferedWriter", "--count", "200000", "--size", "16", "--fixed");

        traced.Result.ExitCode.ShouldBe(0, traced.Result.Stderr);
        traced.Report.RuleIds.ShouldBeEmpty();
        traced.Report.SyscallCount("pwrite64").ShouldBeLessThan(100);
    }

    [SkippableFact]
    public void Console_storm_is_reported_as_ADV002_on_stdout_with_console_advice()
    {
        var traced = TracedSample.Run("ConsoleStorm", "--count", "100000");

        traced.Result.ExitCode.ShouldBe(0, traced.Result.Stderr);
        var finding = traced.Report.Findings("ADV002").ShouldHaveSingleItem();
        var evidence = finding.GetProperty("evidence");
        evidence.GetProperty("count").GetInt64().ShouldBe(traced.Summary.SyscallWrites);
        // The test reads the tool's stdout through a pipe, and the child writes into the same pipe.
        evidence.GetProperty("path").GetString()!.ShouldStartWith("pipe:");
        finding.GetProperty("advice")[0].GetProperty("text").GetString()!.ShouldContain("Console");
        // The child's output passed through untouched.
        traced.Result.Stdout.Split('\n').Count(l => l.Length > 0).ShouldBe(100_000);
    }

    [SkippableFact]
    public void Buffered_twin_of_the_console_storm_yields_no_finding()
    {
        var traced = TracedSample.Run("ConsoleStorm", "--count", "100000", "--fixed");

        traced.Result.ExitCode.ShouldBe(0, traced.Result.Stderr);
        traced.Report.RuleIds.ShouldBeEmpty();
    }

    [SkippableFact]
    public void Fsync_per_record_is_reported_as_ADV006_with_its_sync_count_and_path()
    {
        var traced = TracedSample.Run("FsyncPerRecord", "--count", "2000");

        traced.Result.ExitCode.ShouldBe(0, traced.Result.Stderr);
        var finding = traced.Report.Findings("ADV006").ShouldHaveSingleItem();
        var evidence = finding.GetProperty("evidence");
        evidence.GetProperty("count").GetInt64().ShouldBe(traced.Summary.SyscallSyncs);
        evidence.GetProperty("path").GetString().ShouldBe(traced.Summary.Path);
        traced.Report.RuleIds.ShouldNotContain("ADV001");
    }

    [SkippableFact]
    public void Fsync_twin_that_syncs_once_yields_no_finding()
    {
        var traced = TracedSample.Run("FsyncPerRecord", "--count", "2000", "--fixed");

        traced.Result.ExitCode.ShouldBe(0, traced.Result.Stderr);
        traced.Report.RuleIds.ShouldBeEmpty();
    }
}
