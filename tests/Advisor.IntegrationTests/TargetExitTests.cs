using System.Globalization;
using Advisor.IntegrationTests.Support;

namespace Advisor.IntegrationTests;

/// <summary>
/// A target that exits in the middle of `profile` yields the report of what was seen, exit 0, and a note. The target
/// waits at its start gate until the tool is attached, so its end always falls inside the recording.
/// </summary>
public sealed class TargetExitTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("advisor-exit-");

    public void Dispose() => _dir.Delete(recursive: true);

    [SkippableTheory]
    [InlineData("perf")]
    [InlineData("proc")]
    public void A_target_that_exits_mid_recording_is_reported_as_far_as_it_went(string backend)
    {
        Privileges.RequireBackend(backend);
        var data = Path.Combine(_dir.FullName, "out.dat");
        var start = Path.Combine(_dir.FullName, "start");
        using var target = ProcessRunner.Start("dotnet", ["exec", RepoLayout.Sample("UnbufferedWriter"), "--count", "3000000", "--path", data, "--start-after", start]);
        var stderr = target.StandardError.ReadToEndAsync();
        try
        {
            // Far longer than the work takes, even on a loaded machine: the recording ends at the target's exit.
            using var tool = ProcessRunner.Start(RepoLayout.Tool, ["profile", "-p", target.Id.ToString(CultureInfo.InvariantCulture), "--backend", backend, "--duration", "600s", "--format", "json"]);
            var stdout = tool.StandardOutput.ReadToEndAsync();
            var toolErr = tool.StandardError.ReadToEndAsync();
            ToolTracing.WaitFor(tool, backend);
            File.WriteAllText(start, "");
            tool.WaitForExit(ProcessRunner.DefaultTimeout).ShouldBeTrue("the tool did not stop when the target exited");
            tool.WaitForExit();

            tool.ExitCode.ShouldBe(0, toolErr.Result);
            var report = ReportJson.Parse(stdout.Result);
            report.Root.GetProperty("session").GetProperty("notes").EnumerateArray().Select(n => n.GetString())
                .ShouldContain("the target exited during the recording: this is what was seen until then");
            report.Root.GetProperty("session").GetProperty("durationSeconds").GetDouble().ShouldBeLessThan(600);
            (report.SyscallCount("pwrite64") + report.SyscallCount("write")).ShouldBeGreaterThan(10_000);
            report.Threads.ShouldContain(t => t.GetProperty("name").GetString() == "writer-0", "a thread that ended before the report is still named");
            target.WaitForExit(10_000).ShouldBeTrue();
            target.ExitCode.ShouldBe(0, stderr.Result);
        }
        finally
        {
            if (!target.HasExited)
            {
                target.Kill();
                target.WaitForExit();
            }
        }
    }
}
