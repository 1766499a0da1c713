using Advisor.IntegrationTests.Support;

namespace Advisor.IntegrationTests;

/// <summary>What a user sees for good and bad input: one line, the documented exit code, no stack trace.</summary>
public sealed class CommandLineTests
{
    [Fact]
    public void Unknown_pid_is_a_target_problem()
    {
        var result = ProcessRunner.Advisor("profile", "-p", "999999", "--duration", "1s");

        result.ExitCode.ShouldBe(3);
        result.Stderr.ShouldContain("no process with id 999999");
        result.Stderr.ShouldNotContain("   at ");
    }

    [Fact]
    public void Bad_duration_is_a_usage_error()
    {
        var result = ProcessRunner.Advisor("profile", "-p", "1", "--duration", "soon");

        result.ExitCode.ShouldBe(2);
        result.Stderr.Trim().Split('\n').ShouldHaveSingleItem().ShouldContain("--duration 'soon'");
    }

    [Fact]
    public void Unknown_option_is_a_usage_error()
    {
        var result = ProcessRunner.Advisor("profile", "--frobnicate");

        result.ExitCode.ShouldBe(2);
        result.Stderr.ShouldContain("--frobnicate");
    }

    [Fact]
    public void Profile_without_a_target_is_a_usage_error()
    {
        ProcessRunner.Advisor("profile").ExitCode.ShouldBe(2);
    }

    [Fact]
    public void Unknown_report_format_is_a_usage_error()
    {
        var result = ProcessRunner.Advisor("run", "-o", "report.xyz", "--", "true");

        result.ExitCode.ShouldBe(2);
        result.Stderr.ShouldContain("report.xyz");
    }

    [SkippableFact]
    public void Missing_command_is_a_target_problem()
    {
        Privileges.RequireTracing();
        var result = ProcessRunner.Advisor("run", "-q", "--", "no-such-command-here");

        result.ExitCode.ShouldBe(3);
        result.Stderr.ShouldContain("command not found");
    }

    [SkippableFact]
    public void Run_passes_the_commands_output_through_and_returns_its_exit_code()
    {
        Privileges.RequireTracing();
        var result = ProcessRunner.Advisor("run", "-q", "--", "sh", "-c", "echo hello; echo oops >&2; exit 7");

        result.ExitCode.ShouldBe(7);
        result.Stdout.ShouldBe("hello\n");
        result.Stderr.ShouldBe("oops\n");
    }

    [SkippableFact]
    public void Run_of_a_non_dotnet_command_still_reports_its_syscalls_with_a_note()
    {
        Privileges.RequireTracing();
        var dir = Directory.CreateTempSubdirectory("advisor-it-");
        try
        {
            var report = Path.Combine(dir.FullName, "r.json");
            var result = ProcessRunner.Advisor("run", "-q", "-o", report, "--", "sh", "-c", "for i in 1 2 3; do echo $i; done >/dev/null");

            result.ExitCode.ShouldBe(0, result.Stderr);
            var json = ReportJson.Load(report);
            json.Root.GetProperty("target").GetProperty("isDotNet").GetBoolean().ShouldBeFalse();
            json.SyscallCount("write").ShouldBeGreaterThanOrEqualTo(3);
            json.Root.GetProperty("session").GetProperty("notes").EnumerateArray()
                .ShouldContain(n => n.GetString()!.Contains(".NET runtime", StringComparison.Ordinal));
            File.GetUnixFileMode(report).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [SkippableFact]
    public void Demo_reports_its_three_habits()
    {
        Privileges.RequireTracing();
        var result = ProcessRunner.Advisor("demo");

        result.ExitCode.ShouldBe(0, result.Stderr);
        result.Stdout.ShouldContain("ADV002 unbuffered-writes");
        result.Stdout.ShouldContain("ADV006 fsync-storm");
        result.Stdout.ShouldContain("audit.log");
    }

    [Fact]
    public void Rules_list_names_the_catalogue()
    {
        var result = ProcessRunner.Advisor("rules", "list");

        result.ExitCode.ShouldBe(0);
        result.Stdout.ShouldContain("ADV001");
        result.Stdout.ShouldContain("ADV002");
        result.Stdout.ShouldContain("ADV006");
    }
}
