using Advisor.IntegrationTests.Support;

namespace Advisor.IntegrationTests;

/// <summary>`-o x.advisor` then `report x.advisor`: the live findings exactly, and re-analysis with other rules.</summary>
public sealed class RecordingTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("advisor-rec-");

    public void Dispose() => _dir.Delete(recursive: true);

    private string File(string name) => Path.Combine(_dir.FullName, name);

    private (string Live, string Recording) Record(string sample, params string[] arguments)
    {
        var live = File("live.json");
        var recording = File("run.advisor");
        var result = ProcessRunner.Advisor(["run", "-q", "-o", live, "-o", recording, "--", "dotnet", RepoLayout.Sample(sample), .. arguments]);
        result.ExitCode.ShouldBe(0, result.Stderr);
        return (live, recording);
    }

    [SkippableTheory]
    [InlineData("UnbufferedWriter", "--count 50000")]
    [InlineData("LockContention", "--count 40000")]
    [InlineData("Scenarios", "--scenario reopen-append")]
    public void Report_on_a_recording_reproduces_the_live_report(string sample, string arguments)
    {
        Privileges.RequireTracing();
        var (live, recording) = Record(sample, arguments.Split(' '));
        new FileInfo(recording).UnixFileMode.ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite);

        var replayed = File("replayed.json");
        var result = ProcessRunner.Advisor("report", recording, "-q", "-o", replayed);

        result.ExitCode.ShouldBe(0, result.Stderr);
        var (a, b) = (ReportJson.Load(live).Root, ReportJson.Load(replayed).Root);
        foreach (var part in new[] { "findings", "summary", "threads", "session", "target" })
        {
            b.GetProperty(part).GetRawText().ShouldBe(a.GetProperty(part).GetRawText(), part);
        }
    }

    [SkippableFact]
    public void A_recording_is_analysed_again_with_todays_configuration()
    {
        Privileges.RequireTracing();
        var (_, recording) = Record("UnbufferedWriter", "--count", "50000");
        var config = File("advisor.yaml");
        System.IO.File.WriteAllText(config, "rules:\n  ADV002:\n    severity: error\n    thresholds:\n      minCalls: 100000\n");

        var stricter = ProcessRunner.Advisor("report", recording, "--format", "json", "--config", config);
        var failing = ProcessRunner.Advisor("report", recording, "-q", "--fail-on", "warning");

        stricter.ExitCode.ShouldBe(0, stricter.Stderr);
        stricter.Stdout.ShouldNotContain("\"ruleId\": \"ADV002\"");
        failing.ExitCode.ShouldBe(1);
    }

    [SkippableFact]
    public void Redacted_reports_and_recordings_name_no_path_and_replay_the_same()
    {
        Privileges.RequireTracing();
        var live = File("live.json");
        var recording = File("run.advisor");
        var data = File("secret-data.dat");
        var result = ProcessRunner.Advisor(["run", "-q", "--redact", "-o", live, "-o", recording, "--", "dotnet", RepoLayout.Sample("UnbufferedWriter"), "--count", "20000", "--path", data]);
        result.ExitCode.ShouldBe(0, result.Stderr);

        var replayed = File("replayed.json");
        ProcessRunner.Advisor("report", recording, "-q", "-o", replayed).ExitCode.ShouldBe(0);

        foreach (var report in new[] { live, replayed })
        {
            var json = System.IO.File.ReadAllText(report);
            json.ShouldNotContain("secret-data");
            json.ShouldNotContain(_dir.FullName);
            json.ShouldContain("/redacted/");
        }

        ReportJson.Load(replayed).Root.GetProperty("findings").GetRawText().ShouldBe(ReportJson.Load(live).Root.GetProperty("findings").GetRawText());
    }

    [SkippableFact]
    public void A_truncated_or_foreign_recording_is_one_line_and_exit_code_2()
    {
        Privileges.RequireTracing();
        var (live, recording) = Record("UnbufferedWriter", "--count", "2000");
        var bytes = System.IO.File.ReadAllBytes(recording);
        var truncated = File("truncated.advisor");
        System.IO.File.WriteAllBytes(truncated, bytes[..(bytes.Length * 2 / 3)]);

        var cases = new[]
        {
            (truncated, "truncated or corrupted (the file ends early or does not decompress)"),
            (live, "neither a dotnet-advisor recording nor an strace log; record one with: strace -f -tt -T -o FILE COMMAND (or -p PID)"),
            (File("missing.advisor"), "no such file"),
        };
        foreach (var (path, expected) in cases)
        {
            var result = ProcessRunner.Advisor("report", path, "-q");
            result.ExitCode.ShouldBe(2, path);
            result.Stderr.Trim().Split('\n').ShouldHaveSingleItem().ShouldBe($"dotnet-advisor: {path}: {expected}");
        }
    }
}
