using System.Globalization;
using Advisor.IntegrationTests.Support;

namespace Advisor.IntegrationTests;

/// <summary>Our counts against the reference: strace -f -c on the same workload.</summary>
public sealed class StraceAgreementTests
{
    [SkippableFact]
    public void Dominant_syscall_count_agrees_with_strace_within_one_percent()
    {
        Privileges.RequireTracing();
        Privileges.RequireTool("strace");
        var dir = Directory.CreateTempSubdirectory("advisor-it-");
        try
        {
            var straceOut = Path.Combine(dir.FullName, "strace.txt");
            var strace = ProcessRunner.Run("strace", ["-f", "-c", "-o", straceOut, "dotnet", RepoLayout.Sample("UnbufferedWriter"), "--count", "50000"]);
            strace.ExitCode.ShouldBe(0, strace.Stderr);
            var straceCount = StraceCount(File.ReadAllLines(straceOut), "pwrite64");

            var traced = TracedSample.Run("UnbufferedWriter", "--count", "50000");
            var ours = traced.Report.SyscallCount("pwrite64");

            straceCount.ShouldBeGreaterThanOrEqualTo(50_000);
            Math.Abs(ours - straceCount).ShouldBeLessThanOrEqualTo(straceCount / 100);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    /// <summary>The calls column of strace -c's row for the syscall (the last field is the name).</summary>
    private static long StraceCount(IEnumerable<string> lines, string syscall)
    {
        var row = lines.Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .First(f => f.Length >= 5 && f[^1] == syscall);
        // % time, seconds, usecs/call, calls, [errors,] syscall
        return long.Parse(row[3], CultureInfo.InvariantCulture);
    }
}
