using System.Globalization;
using Advisor.Core.Hang;
using Advisor.Core.Hang.Verdicts;
using Advisor.Core.Threads;

namespace Advisor.Core.Reporting;

/// <summary>
/// Assembles a triage's report: the same <see cref="AdvisorReport"/> a recording gives (threads, findings,
/// notes), with no syscall counts, and the verdict in <see cref="AdvisorReport.Hang"/>.
/// </summary>
public static class HangReportBuilder
{
    public static AdvisorReport Build(ToolInfo tool, TargetInfo target, HangSnapshot snapshot, HangAnalysis analysis)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(analysis);
        var verdict = analysis.Verdict;
        return new AdvisorReport(
            AdvisorReport.CurrentSchemaVersion,
            tool,
            target,
            new SessionInfo("proc", snapshot.WindowMs / 1000, 0, 0, snapshot.Notes),
            new ReportSummary([]),
            snapshot.Threads.Select(ThreadReportOf).ToList(),
            analysis.Findings,
            Hang: new HangReport(verdict.KindName, verdict.Summary, verdict.NextStep, snapshot.WindowMs, RequestsOf(analysis.Requests)));
    }

    private static ThreadReport ThreadReportOf(HangThread thread) => new(
        thread.Tid,
        thread.Name,
        ThreadRoles.Display(thread.Role),
        0,
        State(thread),
        thread.BlockedSyscall,
        thread.BlockedForMs,
        thread.Stack.Frames.Count == 0 ? null : thread.Stack.Frames.Select(f => f.Name).ToList(),
        thread.BlockedFd is { } fd ? string.Create(CultureInfo.InvariantCulture, $"fd {fd}{(thread.BlockedOn is null ? "" : $" {thread.BlockedOn}")}") : thread.BlockedOn,
        thread.Wchan.Length == 0 ? null : thread.Wchan);

    private static HangRequests? RequestsOf(IReadOnlyList<InFlightRequest> requests)
    {
        if (requests.Count == 0)
        {
            return null;
        }

        var blocked = requests.Select(r => r.BlockedForMs).OfType<double>().ToList();
        return new HangRequests(
            requests.Count,
            blocked.Count,
            blocked.Count == 0 ? null : blocked.Max(),
            requests.Select(r => new HangRequest(
                r.Thread.Tid, r.Request?.Method, r.Request?.Path, r.Request?.Endpoint, r.Handler, r.BlockingCall, r.BlockedForMs)).ToList());
    }

    /// <summary>"blocked", "running", "waking", "stopped", "gone" with the scheduler letter: "blocked (S)".</summary>
    private static string State(HangThread thread) =>
        $"{thread.Activity.ToString().ToLowerInvariant()} ({thread.State})";
}
