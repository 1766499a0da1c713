using Advisor.Core.Comparison;
using Advisor.Core.Failures;
using Advisor.Core.Findings;

namespace Advisor.UnitTests.Comparison;

/// <summary>Findings matched across runs by rule, process and call site; every measure compared as a rate.</summary>
public sealed class RunComparerTests
{
    private const string Site = "Program.WriteRecords → FileStream.Write";

    [Fact]
    public void A_finding_in_both_runs_is_still_there_with_its_rates_compared_not_its_totals()
    {
        // 1,000 calls in 10 s, then 600 in 5 s: fewer calls, yet more per second.
        var before = Runs.Report(10, [Runs.Finding("ADV002", Site, 1_000, savingMs: 50)]);
        var after = Runs.Report(5, [Runs.Finding("ADV002", Site, 600, savingMs: 30, pid: 200, path: "/tmp/a-200.dat")], pid: 200);

        var finding = Runs.Compare(before, after).Findings.ShouldHaveSingleItem();

        finding.Status.ShouldBe(FindingStatus.Still);
        finding.CallSite.ShouldBe(Site);
        finding.Process.ShouldBe("Writer");
        finding.CallsPerUnit.Before.ShouldBe(100);
        finding.CallsPerUnit.After.ShouldBe(120);
        finding.CallsPerUnit.Percent.ShouldNotBeNull().ShouldBe(20, tolerance: 1e-9);
        finding.SavingMsPerUnit.ShouldBe(new Change(5, 6));
        finding.Before.ShouldNotBeNull().Count.ShouldBe(1_000);
        finding.After.ShouldNotBeNull().Count.ShouldBe(600);
        finding.MeasuredSavingMsPerUnit.ShouldBeNull();
    }

    [Fact]
    public void Another_call_site_is_another_finding_so_one_is_fixed_and_one_new()
    {
        var before = Runs.Report(10, [Runs.Finding("ADV002", Site, 1_000, 50)]);
        var after = Runs.Report(10, [Runs.Finding("ADV002", "Program.Flush → FileStream.Flush", 1_000, 50, Severity.Info)]);

        var findings = Runs.Compare(before, after).Findings;

        findings.Select(f => (f.Status, f.CallSite)).ShouldBe([(FindingStatus.Fixed, Site), (FindingStatus.New, "Program.Flush → FileStream.Flush")]);
        var fixedOne = findings[0];
        fixedOne.After.ShouldBeNull();
        fixedOne.CallsPerUnit.ShouldBe(new Change(100, 0));
        findings[1].Severity.ShouldBe(Severity.Info);
        findings[1].Before.ShouldBeNull();
    }

    [Fact]
    public void The_same_method_through_a_library_call_the_jit_inlined_in_one_run_is_the_same_finding()
    {
        var before = Runs.Report(10, [Runs.Finding("ADV004", "Program.Main (lambda) → LoggerExtensions.LogInformation", 300, 5)]);
        var after = Runs.Report(10, [Runs.Finding("ADV004", "Program.Main (lambda) → SerilogLogger.Log", 150, 2)]);

        var finding = Runs.Compare(before, after).Findings.ShouldHaveSingleItem();

        (finding.Status, finding.CallSite).ShouldBe((FindingStatus.Still, "Program.Main (lambda) → SerilogLogger.Log"));
    }

    [Fact]
    public void A_fixed_finding_gets_the_kernel_time_its_syscalls_lost_per_second()
    {
        // pwrite64 takes 100 ms per second of run in both synthetic runs, so write the after run's table by hand.
        var before = Runs.Report(10, [Runs.Finding("ADV002", Site, 1_000, 50)]);
        var after = Runs.Report(5, []);
        after = after with { Summary = after.Summary with { Syscalls = [new("pwrite64", 200_000, 0, 50, 3_200_000)] } };

        var finding = Runs.Compare(before, after).Findings.ShouldHaveSingleItem();

        finding.Status.ShouldBe(FindingStatus.Fixed);
        finding.CallSite.ShouldBe(Site, "a run with no findings is no reason to stop matching by call site");
        finding.MeasuredSavingMsPerUnit.ShouldNotBeNull().ShouldBe(100 - 10, tolerance: 1e-9);
    }

    [Fact]
    public void A_run_that_names_no_call_site_is_matched_by_rule_and_process_and_said_so()
    {
        var before = Runs.Report(10, [Runs.Finding("ADV002", null, 1_000, 50)]);
        var after = Runs.Report(10, [Runs.Finding("ADV002", Site, 900, 45)]);

        var diff = Runs.Compare(before, after);

        diff.Findings.ShouldHaveSingleItem().Status.ShouldBe(FindingStatus.Still);
        diff.Notes.ShouldHaveSingleItem().ShouldStartWith("before.advisor names no call site");
    }

    [Fact]
    public void Findings_of_one_rule_process_and_site_on_several_fds_are_taken_together()
    {
        var before = Runs.Report(10, [Runs.Finding("ADV002", Site, 1_000, 50, path: "/tmp/x"), Runs.Finding("ADV002", Site, 500, 20, path: "/tmp/y")]);
        var after = Runs.Report(10, [Runs.Finding("ADV002", Site, 300, 10, path: "/tmp/z")]);

        var finding = Runs.Compare(before, after).Findings.ShouldHaveSingleItem();

        finding.Before.ShouldNotBeNull().Findings.ShouldBe(2);
        finding.CallsPerUnit.ShouldBe(new Change(150, 30));
        finding.SavingMsPerUnit.ShouldBe(new Change(7, 1));
    }

    [Fact]
    public void A_run_compared_with_itself_has_nothing_new_and_no_change()
    {
        var run = Runs.Report(10, [Runs.Finding("ADV002", Site, 1_000, 50), Runs.Finding("ADV007", null, 100, 5)]);

        var diff = Runs.Compare(run, run);

        diff.Findings.ShouldAllBe(f => f.Status == FindingStatus.Still && f.CallsPerUnit.Delta == 0);
        diff.Syscalls.ShouldAllBe(s => s.Calls.Delta == 0 && s.TimeMs.Delta == 0);
        diff.Runtime.ShouldNotBeNull().Gcs.Delta.ShouldBe(0);
        Core.Gates.Gate.NewFindings(diff, Severity.Info).ShouldBeEmpty();
    }

    [Fact]
    public void Syscalls_and_runtime_totals_are_per_second()
    {
        var diff = Runs.Compare(Runs.Report(10, []), Runs.Report(20, [], bytesWritten: 6_400_000));

        diff.Unit.ShouldBe(RunDiff.PerSecond);
        var pwrite = diff.Syscalls.First(s => s.Name == "pwrite64");
        pwrite.Calls.ShouldBe(new Change(20_000, 20_000));
        pwrite.TimeMs.ShouldBe(new Change(100, 100));
        var futex = diff.Syscalls.First(s => s.Name == "futex");
        futex.Calls.ShouldBe(new Change(10, 5));
        futex.Errors.ShouldBe(new Change(1, 0.5));
        var runtime = diff.Runtime.ShouldNotBeNull();
        runtime.Contentions.ShouldBe(new Change(10, 10));
        runtime.PoolWorkItems.ShouldBe(new Change(1_000, 1_000));
        runtime.MaxWorkers.ShouldBe(new Change(4, 4));
    }

    [Fact]
    public void Services_that_reported_requests_are_compared_per_request()
    {
        var before = Runs.Report(10, [Runs.Finding("ADV002", Site, 1_000, 50)], requests: 500);
        var after = Runs.Report(10, [Runs.Finding("ADV002", Site, 1_000, 50)], requests: 1_000);

        var diff = Runs.Compare(before, after);

        diff.Unit.ShouldBe(RunDiff.PerRequest);
        diff.Findings.ShouldHaveSingleItem().CallsPerUnit.ShouldBe(new Change(2, 1));
        diff.Syscalls.First(s => s.Name == "futex").Calls.ShouldBe(new Change(0.2, 0.1));
        diff.Before.Requests.ShouldBe(500);
    }

    [Fact]
    public void Runs_of_another_program_are_refused_in_one_line()
    {
        var before = Runs.Report(10, []);
        var after = Runs.Report(10, [], commandLine: "/usr/bin/dotnet /app/Other.dll");

        var refusal = Should.Throw<AdvisorException>(() => Runs.Compare(before, after));

        refusal.Kind.ShouldBe(FailureKind.Usage);
        refusal.Message.ShouldBe("the runs did different work: before.advisor ran Writer, after.advisor ran Other; diff compares two runs of one program (its arguments may differ)");
    }

    [Fact]
    public void Arguments_may_differ_since_a_fix_is_often_switched_on_by_one()
    {
        var diff = Runs.Compare(Runs.Report(10, []), Runs.Report(10, [], commandLine: "/usr/bin/dotnet /app/Writer.dll --fixed"));

        diff.After.Program.ShouldBe("Writer");
    }

    [Fact]
    public void Dotnet_verbs_are_programs_of_their_own()
    {
        SameWork.Program(new Core.Reporting.TargetInfo(1, "dotnet", "dotnet test --no-build", null, true)).ShouldBe("dotnet test");
        Should.Throw<AdvisorException>(() => Runs.Compare(
            Runs.Report(10, [], commandLine: "dotnet test"), Runs.Report(10, [], commandLine: "dotnet run")));
    }

    [Theory]
    // The same total in half the time: a batch run made faster.
    [InlineData(10, 3_200_000, 2, 3_200_000, false)]
    // The same rate over a longer recording: a steady process.
    [InlineData(10, 3_200_000, 40, 12_800_000, false)]
    // Both the total and the rate 5× apart: another workload.
    [InlineData(10, 3_200_000, 10, 16_000_000, true)]
    // Too little I/O to call it work.
    [InlineData(10, 100_000, 10, 900_000, false)]
    public void A_volume_of_work_more_than_4x_apart_in_total_and_per_second_is_refused(double secondsBefore, long bytesBefore, double secondsAfter, long bytesAfter, bool refused)
    {
        var compare = () => Runs.Compare(Runs.Report(secondsBefore, [], bytesBefore), Runs.Report(secondsAfter, [], bytesAfter));

        if (refused)
        {
            Should.Throw<AdvisorException>(compare).Message.ShouldStartWith("the runs did different work: before.advisor 3.2 MB read and written (320 KB/s), after.advisor 16.0 MB read and written (1.6 MB/s)");
        }
        else
        {
            compare().Unit.ShouldBe(RunDiff.PerSecond);
        }
    }

    [Fact]
    public void Services_are_refused_on_requests_far_apart()
    {
        var refusal = Should.Throw<AdvisorException>(() => Runs.Compare(Runs.Report(10, [], requests: 200), Runs.Report(10, [], requests: 10_000)));

        refusal.Message.ShouldContain("200 requests (20.0/s)");
    }

    [Fact]
    public void A_hang_triage_is_not_a_run_to_compare()
    {
        var hang = Runs.Report(1.5, []) with { Hang = new Core.Reporting.HangReport("not-hung", "fine", "nothing", 1_500) };

        Should.Throw<AdvisorException>(() => Runs.Compare(hang, Runs.Report(10, []))).Message.ShouldBe(
            "before.advisor: a hang triage, not a recording: diff compares two recordings or two reports of them");
    }

    [Theory]
    [InlineData(Severity.Warning, Severity.Warning, 1)]
    [InlineData(Severity.Info, Severity.Warning, 0)]
    [InlineData(Severity.Error, Severity.Warning, 1)]
    [InlineData(Severity.Error, Severity.None, 0)]
    public void Fail_on_new_counts_new_findings_at_or_above_the_severity(Severity found, Severity threshold, int violations)
    {
        var before = Runs.Report(10, [Runs.Finding("ADV002", Site, 1_000, 50)]);
        var after = Runs.Report(10, [Runs.Finding("ADV002", Site, 1_000, 50), Runs.Finding("ADV006", Site, 10, 1, found)]);

        var gate = Core.Gates.Gate.NewFindings(Runs.Compare(before, after), threshold);

        gate.Count.ShouldBe(violations);
        gate.ShouldAllBe(v => v.Gate == "fail-on-new" && v.Subject.StartsWith("ADV006 ", StringComparison.Ordinal));
        // A finding that was there before is never new, and a fixed one never fails the gate.
        Core.Gates.Gate.NewFindings(Runs.Compare(after, before), Severity.Info).ShouldBeEmpty();
    }
}
