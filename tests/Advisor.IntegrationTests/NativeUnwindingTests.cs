using System.Diagnostics;
using System.Globalization;
using Advisor.Core.Events;
using Advisor.Core.Recording;
using Advisor.IntegrationTests.Support;
using Advisor.Linux.Syscalls;

namespace Advisor.IntegrationTests;

/// <summary>
/// Stacks reach the managed caller through native code that keeps no frame pointer (issue 16): libc's socket and
/// sync wrappers, .NET's System.Native shims, SQLite. The frame-pointer chain alone stopped in libc.
/// </summary>
public sealed class NativeUnwindingTests
{
    [SkippableTheory]
    [InlineData("bpf")]
    [InlineData("perf")]
    public void Tier1_writes_show_RandomAccess_WriteAtOffset_under_SystemNative_PWrite(string backend)
    {
        Privileges.RequireBackend(backend);
        var dir = Directory.CreateTempSubdirectory("advisor-it-");
        var report = Path.Combine(dir.FullName, "report.json");
        // Writing for a while before the tool attaches: its methods are tiered up (tier-1 code, which inlines). A
        // million calls are far past the runtime's call counts and loop patchpoints that promote them.
        var data = Path.Combine(dir.FullName, "out.dat");
        using var target = ProcessRunner.Start(
            "dotnet", ["exec", RepoLayout.Sample("UnbufferedWriter"), "--count", "20000000", "--path", data]);
        try
        {
            WrittenRecords.WaitFor(data, 1_000_000, "before the attach");
            var result = ProcessRunner.Advisor("profile", "-p", target.Id.ToString(CultureInfo.InvariantCulture), "--backend", backend, "--duration", "2s", "-q", "-o", report);

            result.ExitCode.ShouldBe(0, result.Stderr);
            var finding = ReportJson.Load(report).Findings("ADV002").ShouldHaveSingleItem();
            var frames = finding.GetProperty("stacks")[0].GetProperty("frames").EnumerateArray().Select(f => f.GetString()!).ToList();
            var shown = string.Join(" | ", frames);
            var pwrite = frames.FindIndex(f => f.EndsWith("!SystemNative_PWrite", StringComparison.Ordinal));
            pwrite.ShouldBeGreaterThanOrEqualTo(0, shown);
            frames.IndexOf("System.IO.RandomAccess.WriteAtOffset").ShouldBeGreaterThan(pwrite, shown);
            frames.ShouldContain("Program.WriteRecords", shown);
        }
        finally
        {
            target.Kill();
            target.WaitForExit();
            dir.Delete(recursive: true);
        }
    }

    [SkippableFact]
    public void Sqlites_fsyncs_are_named_by_Microsoft_Data_Sqlite_and_the_samples_method()
    {
        var traced = TracedSample.Run("SqliteOrders", "--count", "200");

        traced.Result.ExitCode.ShouldBe(0, traced.Result.Stderr);
        var finding = traced.Report.Findings("ADV006").ShouldHaveSingleItem();
        var frames = finding.GetProperty("stacks")[0].GetProperty("frames").EnumerateArray().Select(f => f.GetString()!).ToList();
        var shown = string.Join(" | ", frames);
        frames[0].ShouldStartWith("libc.so", customMessage: shown);
        frames.ShouldContain(f => f.StartsWith("libe_sqlite3.so!", StringComparison.Ordinal), shown);
        frames.ShouldContain(f => f.StartsWith("Microsoft.Data.Sqlite.", StringComparison.Ordinal), shown);
        frames.ShouldContain(f => f.StartsWith("SqliteOrders.OrderStore.", StringComparison.Ordinal), shown);
        finding.GetProperty("message").GetString()!.ShouldContain("from SqliteOrders.OrderStore.");
    }

    [SkippableFact]
    public void A_web_services_socket_calls_under_load_reach_System_Net_Sockets_or_Kestrel()
    {
        Privileges.RequireTracing();
        var dir = Directory.CreateTempSubdirectory("advisor-it-");
        var recording = Path.Combine(dir.FullName, "web.advisor");
        try
        {
            using var service = LoadedCleanService.Start(idleSeconds: 30, loadSeconds: 6);
            var profile = ProcessRunner.Run(
                RepoLayout.Tool, ["profile", "-p", service.Pid.ToString(CultureInfo.InvariantCulture), "--duration", "3s", "-q", "-o", recording], TimeSpan.FromMinutes(2));
            service.LoadServedEverything();
            profile.ExitCode.ShouldBe(0, profile.Stderr);

            var calls = new StackCounts();
            var stacks = RecordingFile.Read(recording, (_, _) => calls).Analysis.Stacks;
            foreach (var syscall in new[] { "recvfrom", "sendto" })
            {
                var top = calls.Busiest(syscall);
                top.ShouldNotBe(0, $"no {syscall} call of the service had a stack");
                var frames = stacks[top].Frames.Select(f => f.Name).ToList();
                var shown = string.Join(" | ", frames);
                frames[0].ShouldStartWith("libc.so", customMessage: shown);
                frames.ShouldContain(
                    f => f.StartsWith("System.Net.Sockets.", StringComparison.Ordinal) || f.StartsWith("Microsoft.AspNetCore.Server.Kestrel", StringComparison.Ordinal),
                    $"{syscall}: {shown}");
            }
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    /// <summary>Calls per syscall × stack, from a recording's events.</summary>
    private sealed class StackCounts : ISyscallSink
    {
        private readonly Dictionary<(int Number, int Stack), long> _counts = new();

        public void OnSyscall(in SyscallEvent e)
        {
            if (e.StackId > 0)
            {
                _counts[(e.Number, e.StackId)] = _counts.GetValueOrDefault((e.Number, e.StackId)) + 1;
            }
        }

        public void OnLost(long count)
        {
        }

        /// <returns>The stack id most calls of the syscall were made from, or 0.</returns>
        public int Busiest(string syscall)
        {
            LinuxTables.Current.TryGetNumber(syscall, out var number).ShouldBeTrue(syscall);
            return _counts.Where(c => c.Key.Number == number).OrderByDescending(c => c.Value).Select(c => c.Key.Stack).FirstOrDefault();
        }
    }
}
