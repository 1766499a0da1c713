using Advisor.Core.Comparison;
using Advisor.Core.Findings;
using Advisor.Core.Reporting;
using Advisor.Core.Runtime;

namespace Advisor.UnitTests.Comparison;

/// <summary>Synthetic runs to compare: a report with only what a diff reads, and findings made to measure.</summary>
internal static class Runs
{
    public static readonly ToolInfo Tool = new("dotnet-advisor", "0.1.0");

    /// <param name="seconds">How long the run was recorded.</param>
    /// <param name="bytesWritten">The pwrite64 bytes, which are the run's volume of work (with no requests).</param>
    public static AdvisorReport Report(
        double seconds, IReadOnlyList<Finding> findings, long bytesWritten = 3_200_000, string commandLine = "/usr/bin/dotnet /app/Writer.dll", long? requests = null, int pid = 100) => new(
        AdvisorReport.CurrentSchemaVersion,
        Tool,
        new TargetInfo(pid, "dotnet", commandLine, "10.0.0", IsDotNet: true),
        new SessionInfo("bpf", seconds, 10_000, 0, []),
        new ReportSummary(
        [
            new SyscallSummary("pwrite64", bytesWritten / 16, 0, seconds * 100, bytesWritten),
            new SyscallSummary("futex", 100, 10, 50, 0),
            // Mapped memory is not work moved: it must not count in the volume.
            new SyscallSummary("mmap", 50, 0, 1, 500_000_000),
        ]),
        [],
        findings,
        new RuntimeReport(
            new Dictionary<string, long>(StringComparer.Ordinal),
            new ContentionReport((long)(seconds * 10), seconds, [], []),
            new ThreadPoolSummary(4, 4, 0, 4, 0, null, null, 0, 0, WorkItems: (long)(seconds * 1000)),
            new GcSummary((long)seconds, (long)seconds, 0, 0),
            0,
            requests is { } r ? new RequestsReport(r, r / seconds, 0, 8) : null));

    public static Finding Finding(string ruleId, string? site, long count, double savingMs, Severity severity = Severity.Warning, int pid = 100, string path = "/tmp/a-100.dat") => new(
        ruleId,
        ruleId == "ADV002" ? "unbuffered-writes" : "rule",
        severity,
        "Title",
        $"pwrite64 ×{count} on {path}",
        new Evidence { Syscalls = ["pwrite64"], Count = count, Path = path },
        null,
        [],
        savingMs,
        count,
        "calls × cost",
        [])
    {
        Process = new ProcessRef(pid, "Writer"),
        CallSite = site,
    };

    public static DiffInput Input(AdvisorReport report, string path) => new(report, path, "recording");

    public static RunDiff Compare(AdvisorReport before, AdvisorReport after) =>
        RunComparer.Compare(Tool, Input(before, "before.advisor"), Input(after, "after.advisor"));
}
