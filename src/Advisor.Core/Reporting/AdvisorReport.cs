using System.Globalization;
using Advisor.Core.Findings;
using Advisor.Core.Formatting;
using Advisor.Core.Syscalls;

namespace Advisor.Core.Reporting;

/// <summary>
/// The report, shaped as the JSON contract <c>schemas/report.schema.json</c> publishes (schemaVersion 1): every writer renders this.
/// </summary>
public sealed record AdvisorReport(
    int SchemaVersion,
    ToolInfo Tool,
    TargetInfo Target,
    SessionInfo Session,
    ReportSummary Summary,
    IReadOnlyList<ThreadReport> Threads,
    IReadOnlyList<Finding> Findings,
    RuntimeReport? Runtime = null,
    HangReport? Hang = null)
{
    public const int CurrentSchemaVersion = 1;
}

public sealed record ToolInfo(string Name, string Version);

/// <param name="ExitCode">The launched command's exit code (run only).</param>
public sealed record TargetInfo(int Pid, string Name, string CommandLine, string? RuntimeVersion, bool IsDotNet, int? ExitCode = null);

/// <param name="EventsTotal">The target's own syscalls recorded: the observer's (<see cref="Observer"/>) are not among them.</param>
public sealed record SessionInfo(string Backend, double DurationSeconds, long EventsTotal, long LostEvents, IReadOnlyList<string> Notes)
{
    /// <summary>What recording added to each call's measured duration, as measured on this machine; null when not measured.</summary>
    public RecorderCost? RecorderCost { get; init; }

    /// <summary>The calls the target made only because it was observed; null when it made none (or they cannot be told).</summary>
    public ObserverCalls? Observer { get; init; }
}

/// <summary>
/// The target's calls on the observer's sockets (the runtime streaming its events to this tool, the diagnostic server
/// serving it): the tool's doing, counted apart from the app's summary, rules and gates.
/// </summary>
/// <param name="Syscalls">Per syscall, most calls first, as <see cref="ReportSummary.Syscalls"/>.</param>
public sealed record ObserverCalls(IReadOnlyList<SyscallSummary> Syscalls)
{
    /// <summary>
    /// The calls in one line, as every format shows them: the busiest syscalls and the bytes sent to the tool, said to be
    /// counted nowhere else, so that the numbers beside it add up with what strace would see.
    /// </summary>
    public string Describe()
    {
        const int Shown = 3;
        var calls = Syscalls.Take(Shown).Select(s => s.Count.ToString("N0", CultureInfo.InvariantCulture) + " " + s.Name).ToList();
        if (Syscalls.Count > Shown)
        {
            calls.Add(Syscalls.Skip(Shown).Sum(s => s.Count).ToString("N0", CultureInfo.InvariantCulture) + " more");
        }

        var sent = Syscalls.Where(s => (SyscallSemantics.Of(s.Name) & SyscallTraits.Write) != 0).Sum(s => s.Bytes);
        var to = sent > 0 ? $", {Sizes.Format(sent)} to dotnet-advisor" : " for dotnet-advisor";
        return $"observer: {string.Join(", ", calls)}{to} (its sessions; not in the counts, rules or gates)";
    }
}

/// <param name="PerCallUs">Recorder time inside every call's timestamps, µs.</param>
/// <param name="PerStackUs">More for a call whose user stack was walked, beside its frames, µs.</param>
/// <param name="PerFrameUs">More per user stack frame walked, µs.</param>
/// <param name="CrossingUs">A trivial call's whole cost without the recorder (into the kernel and back), µs.</param>
public sealed record RecorderCost(double PerCallUs, double PerStackUs, double PerFrameUs, double CrossingUs);

/// <param name="CallSites">
/// Calls per syscall and application call site (recordings with stacks; omitted otherwise): what CI budgets
/// and baselines compare, because counts per call site stay put where timings flake.
/// </param>
public sealed record ReportSummary(IReadOnlyList<SyscallSummary> Syscalls, IReadOnlyList<CallSiteSummary>? CallSites = null);

/// <param name="Site">The first application frame and the .NET API it called: <c>MyApp.Log.Write → FileStream.Write</c>.</param>
public sealed record CallSiteSummary(string Syscall, string Site, long Count);

public sealed record SyscallSummary(string Name, long Count, long Errors, double TotalTimeMs, long Bytes);

/// <param name="State">Scheduler state at the end (hang triage); null in recordings.</param>
/// <param name="BlockedOn">What the blocked syscall waits on: the fd's path or endpoint, a futex (hang triage).</param>
/// <param name="Wchan">The kernel function the thread sleeps in, such as "futex_wait_queue" (hang triage).</param>
public sealed record ThreadReport(
    int Tid,
    string Name,
    string Role,
    long Syscalls,
    string? State = null,
    string? BlockedSyscall = null,
    double? BlockedForMs = null,
    IReadOnlyList<string>? Stack = null,
    string? BlockedOn = null,
    string? Wchan = null)
{
    /// <summary>The process the thread belongs to (recordings: the target or a child it started).</summary>
    public int? Pid { get; init; }

    /// <summary>That process's name, as <see cref="Findings.ProcessRef"/> gives it.</summary>
    public string? Process { get; init; }
}
