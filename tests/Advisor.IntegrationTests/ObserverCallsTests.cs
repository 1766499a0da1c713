using System.Globalization;
using Advisor.IntegrationTests.Support;

namespace Advisor.IntegrationTests;

/// <summary>
/// What the target does only because the tool observes it — its runtime streaming EventPipe events to the tool
/// over the diagnostic socket — is counted apart (session.observer), never as the app's calls nor against a budget.
/// </summary>
public sealed class ObserverCallsTests : IDisposable
{
    private static readonly string[] Sends = ["sendto", "send", "sendmsg", "write", "writev"];

    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("advisor-observer-");

    public void Dispose() => _dir.Delete(recursive: true);

    [SkippableFact]
    public void Under_run_the_runtimes_sends_to_the_tool_are_the_observers_and_a_budget_of_no_sends_passes()
    {
        Privileges.RequireTracing();
        var budget = Path.Combine(_dir.FullName, "budget.yaml");
        File.WriteAllText(budget, "syscalls:\n  sendto: 0\n  send: 0\n  sendmsg: 0\n");
        var report = Path.Combine(_dir.FullName, "report.json");
        var csv = Path.Combine(_dir.FullName, "report.csv");

        // A sample that makes no socket call of its own: every send in the target is its runtime's, to us.
        var result = ProcessRunner.Advisor(
            "run", "-q", "--budget", budget, "-o", report, "-o", csv, "--", "dotnet", RepoLayout.Sample("UnbufferedWriter"), "--count", "20000", "--fixed");

        result.ExitCode.ShouldBe(0, result.Stderr);
        result.Stderr.ShouldNotContain("gate failed");
        var json = ReportJson.Load(report);
        var summary = json.Root.GetProperty("summary").GetProperty("syscalls").EnumerateArray().ToList();
        summary.Select(s => s.GetProperty("name").GetString()).ShouldNotContain(n => n == "sendto" || n == "send" || n == "sendmsg");
        json.Root.GetProperty("session").GetProperty("eventsTotal").GetInt64().ShouldBe(summary.Sum(s => s.GetProperty("count").GetInt64()));
        json.ObserverCount("sendto").ShouldBeGreaterThan(0);

        // Nor in the app's rows per fd: no send or write of any thread on a unix socket.
        var rows = File.ReadAllLines(csv).Skip(1).Select(l => l.Split(',')).ToList();
        rows.ShouldNotContain(r => Sends.Contains(r[4]) && r[6].StartsWith("unix", StringComparison.Ordinal), string.Join('\n', rows.Select(r => string.Join(',', r))));
    }

    [SkippableFact]
    public void Attached_with_profile_the_runtimes_sends_on_its_diagnostic_server_are_the_observers()
    {
        Privileges.RequireTracing();
        var report = Path.Combine(_dir.FullName, "report.json");
        // Contended locks keep the runtime sending contention events to us for as long as it runs.
        using var target = ProcessRunner.Start("dotnet", ["exec", RepoLayout.Sample("LockContention"), "--count", "200000000"]);
        try
        {
            WaitForDiagnosticServer(target.Id);

            var result = ProcessRunner.Advisor("profile", "-p", target.Id.ToString(CultureInfo.InvariantCulture), "--duration", "3s", "-q", "-o", report);

            result.ExitCode.ShouldBe(0, result.Stderr);
            var json = ReportJson.Load(report);
            json.SyscallCount("sendto").ShouldBe(0);
            json.ObserverCount("sendto").ShouldBeGreaterThan(0);
        }
        finally
        {
            target.Kill();
        }
    }

    /// <summary>The runtime has started once its diagnostic server listens: a tool can attach from then on.</summary>
    private static void WaitForDiagnosticServer(int pid)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (Directory.EnumerateFiles(Path.GetTempPath(), $"dotnet-diagnostic-{pid}-*-socket").FirstOrDefault() is null)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"pid {pid} opened no diagnostic server within 30 s");
            }

            Thread.Sleep(50);
        }
    }
}
