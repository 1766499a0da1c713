using System.Text.Json;
using Advisor.IntegrationTests.Support;

namespace Advisor.IntegrationTests;

/// <summary>`-o x.trace.json`: every syscall on its thread's track, as Perfetto and chrome://tracing read it.</summary>
public sealed class ChromeTraceTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("advisor-trace-");

    public void Dispose() => _dir.Delete(recursive: true);

    [SkippableFact]
    public void A_trace_holds_every_syscall_with_named_tracks_and_the_findings_and_report_draws_the_same()
    {
        Privileges.RequireTracing();
        var live = Path.Combine(_dir.FullName, "live.trace.json");
        var recording = Path.Combine(_dir.FullName, "run.advisor");
        var json = Path.Combine(_dir.FullName, "run.json");
        var result = ProcessRunner.Advisor(["run", "-q", "-o", live, "-o", recording, "-o", json, "--", "dotnet", RepoLayout.Sample("UnbufferedWriter"), "--count", "20000", "--threads", "2"]);
        result.ExitCode.ShouldBe(0, result.Stderr);
        var replayed = Path.Combine(_dir.FullName, "replayed.trace.json");
        ProcessRunner.Advisor("report", recording, "-q", "-o", replayed).ExitCode.ShouldBe(0);

        var report = ReportJson.Load(json);
        foreach (var path in new[] { live, replayed })
        {
            using var trace = JsonDocument.Parse(File.ReadAllText(path));
            var events = trace.RootElement.GetProperty("traceEvents").EnumerateArray().ToList();
            var syscalls = events.Where(e => e.GetProperty("ph").GetString() == "X").ToList();
            // The raw events: the app's calls and those its runtime made for the tool (session.observer).
            syscalls.Count.ShouldBe((int)(report.Root.GetProperty("session").GetProperty("eventsTotal").GetInt64() + report.ObserverCalls));
            syscalls.ShouldAllBe(e => e.GetProperty("ts").GetDouble() >= 0 && e.GetProperty("dur").GetDouble() >= 0);
            var writes = syscalls.Where(e => e.GetProperty("name").GetString() == "pwrite64").ToList();
            writes.Count.ShouldBeGreaterThanOrEqualTo(20_000);
            var names = events.Where(e => e.GetProperty("ph").GetString() == "M" && e.GetProperty("name").GetString() == "thread_name")
                .ToDictionary(e => e.GetProperty("tid").GetInt32(), e => e.GetProperty("args").GetProperty("name").GetString()!);
            writes.Select(w => w.GetProperty("tid").GetInt32()).Distinct().Select(t => names[t]).ShouldAllBe(n => n.StartsWith("writer-", StringComparison.Ordinal));
            events.Where(e => e.GetProperty("ph").GetString() == "i").Select(e => e.GetProperty("name").GetString()).ShouldContain("ADV002 unbuffered-writes");
        }
    }
}
