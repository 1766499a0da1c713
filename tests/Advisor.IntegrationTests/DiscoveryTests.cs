using System.Globalization;
using Advisor.IntegrationTests.Support;

namespace Advisor.IntegrationTests;

/// <summary>`ps` and `profile -n` find a running .NET process.</summary>
public sealed class DiscoveryTests
{
    [SkippableFact]
    public void Ps_lists_a_waiting_dotnet_process_and_profile_finds_it_by_name()
    {
        var dir = Directory.CreateTempSubdirectory("advisor-it-");
        using var target = ProcessRunner.Start(
            "dotnet", ["exec", RepoLayout.Sample("FsyncPerRecord"), "--start-after", Path.Combine(dir.FullName, "never"), "--count", "10"]);
        try
        {
            var pid = target.Id.ToString(CultureInfo.InvariantCulture);
            var deadline = DateTime.UtcNow.AddSeconds(30);
            ProcessResult ps;
            do
            {
                ps = ProcessRunner.Advisor("ps");
                ps.ExitCode.ShouldBe(0, ps.Stderr);
            }
            while (!ps.Stdout.Contains("FsyncPerRecord", StringComparison.Ordinal) && DateTime.UtcNow < deadline);

            var row = ps.Stdout.Split('\n').Where(l => l.Contains("FsyncPerRecord", StringComparison.Ordinal)).ShouldHaveSingleItem();
            row.Trim().ShouldStartWith(pid);
            row.ShouldContain(Environment.Version.ToString());

            Privileges.RequireTracing();
            var report = Path.Combine(dir.FullName, "r.json");
            var profile = ProcessRunner.Advisor("profile", "-n", "FsyncPerRecord", "--duration", "1s", "-q", "-o", report);
            profile.ExitCode.ShouldBe(0, profile.Stderr);
            ReportJson.Load(report).Root.GetProperty("target").GetProperty("pid").GetInt32().ShouldBe(target.Id);
        }
        finally
        {
            target.Kill();
            target.WaitForExit();
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void Profile_by_an_unknown_name_is_a_target_problem()
    {
        var result = ProcessRunner.Advisor("profile", "-n", "no-such-dotnet-app", "--duration", "1s");

        result.ExitCode.ShouldBe(3);
        result.Stderr.ShouldContain("no .NET process named 'no-such-dotnet-app'");
    }
}
