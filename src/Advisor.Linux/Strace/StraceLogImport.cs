using System.Globalization;
using Advisor.Core.Aggregation;
using Advisor.Core.Events;
using Advisor.Core.Failures;
using Advisor.Core.Reporting;
using Advisor.Core.Syscalls;
using Advisor.Core.Targets;
using Advisor.Linux.Syscalls;

namespace Advisor.Linux.Strace;

/// <summary>
/// Imports an <c>strace -f -tt -T</c> log: its calls through the same aggregation a live recording feeds, so
/// today's rules apply to it. strace shows neither stacks nor the runtime's events, so findings name no call
/// site and runtime-based evidence is missing; the notes say so.
/// </summary>
public static class StraceLogImport
{
    public const string Backend = "strace-log";

    // strace prints syscall names, not numbers: x86_64's table has every name either architecture's strace
    // prints, so logs from both import the same way on any machine.
    private const string Numbering = "x86_64";

    // A file whose first thousand lines hold no call is not an strace log, however long it is.
    private const int GiveUpAfterLines = 1000;

    private const string HowToRecord = "record one with: strace -f -tt -T -o FILE COMMAND (or -p PID)";

    public static SyscallCatalog Catalog { get; } = new(LinuxTables.ForArchitecture(Numbering), LinuxTables.Errno(Numbering));

    /// <summary>Reads the log once to learn its shape, failing with one line if it is not a usable strace log.</summary>
    /// <exception cref="AdvisorException">Empty, not strace output, no timestamps, or too corrupted: exit 2.</exception>
    public static StraceLogSurvey Survey(string path)
    {
        StraceLogSurvey survey;
        try
        {
            survey = StraceLogSurvey.Take(path, GiveUpAfterLines);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new AdvisorException(FailureKind.Usage, $"cannot read {path}: {e.Message}");
        }

        if (survey.Lines == 0)
        {
            throw Problem(path, "the file is empty: it is neither a dotnet-advisor recording nor an strace log");
        }

        if (survey.Calls == 0)
        {
            throw Problem(path, $"neither a dotnet-advisor recording nor an strace log; {HowToRecord}");
        }

        if (survey.Untimed > 0)
        {
            throw Problem(path, $"the strace log has no timestamps, so rates cannot be told; {HowToRecord}");
        }

        // A torn last line (strace killed) or the program's own output mixed in is fine; mostly garbage is not.
        if (survey.NotUnderstood > Math.Max(10, survey.Lines / 10))
        {
            throw Problem(path, string.Create(
                CultureInfo.InvariantCulture,
                $"{survey.NotUnderstood:N0} of {survey.Lines:N0} lines are not strace output (the first is line {survey.FirstNotUnderstood}): the log is corrupted"));
        }

        return survey;
    }

    /// <summary>Replays the log's calls into a sink, in the order they ended.</summary>
    /// <param name="sinkFor">Makes the sink, given what answers questions about the log's fds.</param>
    /// <returns>The target as far as the log shows it, and calls that could not be replayed.</returns>
    public static (TargetInfo Target, IReadOnlyDictionary<string, long> Unknown) Replay(
        string path, StraceLogSurvey survey, Func<ITargetIntrospector, ISyscallSink> sinkFor)
    {
        ArgumentNullException.ThrowIfNull(survey);
        ArgumentNullException.ThrowIfNull(sinkFor);
        var replay = new StraceReplay(survey, Catalog);
        replay.Run(path, sinkFor(replay.Fds));
        return (replay.Target, replay.Unknown);
    }

    /// <summary>The log as the rules see a recording: its aggregate, the target, and what the report must say about it.</summary>
    /// <param name="survey">The log's <see cref="Survey"/>.</param>
    public static (AggregateSnapshot Snapshot, TargetInfo Target, IReadOnlyList<string> Notes) Load(string path, StraceLogSurvey survey)
    {
        ArgumentNullException.ThrowIfNull(survey);
        SyscallAggregator? aggregator = null;
        var (target, unknown) = Replay(path, survey, fds => aggregator = new SyscallAggregator(Catalog, fds, survey.StartNs));
        var snapshot = new AggregateSnapshot(aggregator!.Snapshot(Math.Max(survey.EndNs, survey.StartNs)));
        return (snapshot, target, Notes(survey, unknown));
    }

    private static List<string> Notes(StraceLogSurvey survey, IReadOnlyDictionary<string, long> unknown)
    {
        var notes = new List<string>
        {
            "imported from an strace log: no stacks and no runtime events, so findings name no call site; "
                + "strace stops the process at every call, so rates and times are those of the process slowed down",
        };
        if (survey.WithoutDuration > 0)
        {
            notes.Add(string.Create(
                CultureInfo.InvariantCulture,
                $"{survey.WithoutDuration:N0} calls have no duration (record with -T): their time in the kernel counts as 0"));
        }

        if (survey.NotUnderstood > 0)
        {
            notes.Add(string.Create(
                CultureInfo.InvariantCulture,
                $"{survey.NotUnderstood:N0} lines were not strace output and were skipped (the first is line {survey.FirstNotUnderstood})"));
        }

        if (survey.Unpaired > 0)
        {
            notes.Add(string.Create(
                CultureInfo.InvariantCulture, $"{survey.Unpaired:N0} calls were cut off by the start or end of the log and were skipped"));
        }

        if (unknown.Count > 0)
        {
            var names = string.Join(", ", unknown.OrderByDescending(u => u.Value).Take(3).Select(u => u.Key));
            notes.Add(string.Create(
                CultureInfo.InvariantCulture, $"{unknown.Values.Sum():N0} calls of syscalls this tool does not know were skipped ({names})"));
        }

        return notes;
    }

    private static AdvisorException Problem(string path, string what) => new(FailureKind.Usage, $"{path}: {what}");
}
