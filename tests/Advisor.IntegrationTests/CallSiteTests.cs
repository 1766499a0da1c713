using System.Globalization;
using Advisor.IntegrationTests.Support;

namespace Advisor.IntegrationTests;

/// <summary>Findings name the code that made the calls, in both recording modes (issue 3's acceptance).</summary>
public sealed class CallSiteTests
{
    private const string SampleMethod = "Program.WriteRecords";
    private const string Api = "System.IO.FileStream.Write";

    [SkippableFact]
    public void Run_names_the_samples_method_and_FileStream_Write_in_the_top_stack_and_headline()
    {
        var traced = TracedSample.Run("UnbufferedWriter", "--count", "200000");

        traced.Result.ExitCode.ShouldBe(0, traced.Result.Stderr);
        ShouldNameTheWriter(traced.Report);
    }

    [SkippableFact]
    public void Profile_names_methods_compiled_before_it_attached()
    {
        Privileges.RequireTracing();
        var dir = Directory.CreateTempSubdirectory("advisor-it-");
        var report = Path.Combine(dir.FullName, "report.json");
        // Already writing (its methods JIT'd, tiered up and ReadyToRun code in use) when the tool attaches: a million
        // calls are far past the runtime's call counts and loop patchpoints that promote them.
        var data = Path.Combine(dir.FullName, "out.dat");
        using var target = ProcessRunner.Start(
            "dotnet", ["exec", RepoLayout.Sample("UnbufferedWriter"), "--count", "20000000", "--path", data]);
        try
        {
            WrittenRecords.WaitFor(data, 1_000_000, "before the attach");
            var result = ProcessRunner.Advisor("profile", "-p", target.Id.ToString(CultureInfo.InvariantCulture), "--duration", "2s", "-q", "-o", report);

            result.ExitCode.ShouldBe(0, result.Stderr);
            target.HasExited.ShouldBeFalse("the target keeps running after the tool detached");
            ShouldNameTheWriter(ReportJson.Load(report));
        }
        finally
        {
            target.Kill();
            target.WaitForExit();
            dir.Delete(recursive: true);
        }
    }

    [SkippableFact]
    public void Without_stacks_findings_still_come_but_name_no_method()
    {
        Privileges.RequireTracing();
        var dir = Directory.CreateTempSubdirectory("advisor-it-");
        try
        {
            var report = Path.Combine(dir.FullName, "report.json");
            var result = ProcessRunner.Advisor("run", "--no-stacks", "-q", "-o", report, "--", "dotnet", RepoLayout.Sample("UnbufferedWriter"), "--count", "100000");

            result.ExitCode.ShouldBe(0, result.Stderr);
            var finding = ReportJson.Load(report).Findings("ADV002").ShouldHaveSingleItem();
            finding.GetProperty("stacks").GetArrayLength().ShouldBe(0);
            finding.GetProperty("message").GetString()!.ShouldNotContain(SampleMethod);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    private static void ShouldNameTheWriter(ReportJson report)
    {
        var finding = report.Findings("ADV002").ShouldHaveSingleItem();
        var top = finding.GetProperty("stacks")[0];
        var frames = top.GetProperty("frames").EnumerateArray().Select(f => f.GetString()!).ToList();
        frames.ShouldContain(SampleMethod, string.Join(" | ", frames));
        frames.ShouldContain(Api, string.Join(" | ", frames));
        frames.IndexOf(Api).ShouldBeLessThan(frames.IndexOf(SampleMethod), "innermost first: the API is called by the sample");
        frames[0].ShouldStartWith("libc.so");
        // Most of the writes come from the top call site.
        top.GetProperty("count").GetInt64().ShouldBeGreaterThan(finding.GetProperty("evidence").GetProperty("count").GetInt64() / 2);
        finding.GetProperty("message").GetString()!.ShouldEndWith($"from {SampleMethod} → FileStream.Write");
    }
}
