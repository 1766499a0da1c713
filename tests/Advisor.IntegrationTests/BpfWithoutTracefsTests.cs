using System.Diagnostics;
using System.Globalization;
using Advisor.IntegrationTests.Support;

namespace Advisor.IntegrationTests;

/// <summary>
/// The bpf backend where tracefs is not mounted (a freshly booted host, most containers): its programs attach through
/// the kernel's BTF alone, so demo, run and profile -p record with bpf and note no fallback to another backend.
/// </summary>
public sealed class BpfWithoutTracefsTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("advisor-no-tracefs-");

    public void Dispose() => _dir.Delete(recursive: true);

    private string PathOf(string name) => Path.Combine(_dir.FullName, name);

    /// <summary>The console header and the JSON report both name bpf, and no note says another backend was taken.</summary>
    private static ReportJson ShouldHaveRecordedWithBpf(ProcessResult result, string reportPath)
    {
        result.ExitCode.ShouldBe(0, result.Stderr);
        result.Stdout.ShouldContain("· bpf backend ·", customMessage: result.Stdout);
        result.Stdout.ShouldNotContain("backend could not be used");
        var report = ReportJson.Load(reportPath);
        var session = report.Root.GetProperty("session");
        session.GetProperty("backend").GetString().ShouldBe("bpf");
        session.GetProperty("notes").EnumerateArray().Select(n => n.GetString()!)
            .ShouldNotContain(n => n.Contains("backend could not be used", StringComparison.Ordinal) || n.Contains("backend instead", StringComparison.Ordinal));
        return report;
    }

    [SkippableFact]
    public void Demo_records_with_bpf()
    {
        var report = PathOf("demo.json");

        var result = WithoutTracefs.Advisor(["demo", "-o", report], _dir.FullName);

        ShouldHaveRecordedWithBpf(result, report).SyscallCount("pwrite64").ShouldBeGreaterThan(0);
    }

    /// <summary>A launched command is armed before its execve and traced from the exec hook on: all its writes are there.</summary>
    [SkippableFact]
    public void Run_records_the_launched_command_from_its_exec_with_bpf()
    {
        const int Writes = 2_000;
        var report = PathOf("run.json");

        var result = WithoutTracefs.Advisor(
            ["run", "-o", report, "--", "dotnet", RepoLayout.Sample("UnbufferedWriter"), "--count", $"{Writes}", "--path", PathOf("w.dat")], _dir.FullName);

        ShouldHaveRecordedWithBpf(result, report).SyscallCount("pwrite64").ShouldBeGreaterThanOrEqualTo(Writes);
    }

    [SkippableFact]
    public void Profile_of_a_running_process_records_with_bpf()
    {
        var report = PathOf("profile.json");
        using var target = ProcessRunner.Start("dotnet", ["exec", RepoLayout.Sample("UnbufferedWriter"), "--run-for", "60", "--path", PathOf("steady.dat")]);
        try
        {
            var result = WithoutTracefs.Advisor(
                ["profile", "-p", target.Id.ToString(CultureInfo.InvariantCulture), "--duration", "2s", "-o", report], _dir.FullName);

            ShouldHaveRecordedWithBpf(result, report).SyscallCount("pwrite64").ShouldBeGreaterThan(0);
        }
        finally
        {
            Stop(target);
        }
    }

    private static void Stop(Process process)
    {
        if (!process.HasExited)
        {
            process.Kill();
        }

        process.WaitForExit();
    }
}
