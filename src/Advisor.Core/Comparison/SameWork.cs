using System.Globalization;
using Advisor.Core.Failures;
using Advisor.Core.Formatting;
using Advisor.Core.Processes;
using Advisor.Core.Reporting;
using Advisor.Core.Syscalls;

namespace Advisor.Core.Comparison;

/// <summary>
/// Refuses to compare runs that did different work, where a diff would mislead (docs/ci.md, "Did the fix work"):
/// another program, or a volume of work more than <see cref="VolumeFactor"/> apart both in total and per second.
/// </summary>
public static class SameWork
{
    /// <summary>
    /// How far apart the volumes may be. A batch run does the same total work faster once fixed, and a paced
    /// service the same work per second over a recording of another length: a fix moves one of the two, and
    /// rarely by 4×; both 4× apart is another workload.
    /// </summary>
    public const double VolumeFactor = 4;

    /// <summary>Below this many bytes moved by the larger run, volumes are not compared: the runtime's own I/O, not work.</summary>
    public const long MinBytes = 1_000_000;

    /// <summary>Below this many requests served by the larger run, volumes are not compared.</summary>
    public const long MinRequests = 100;

    /// <exception cref="AdvisorException">The runs cannot be compared: one line, exit 2.</exception>
    public static void Require(DiffInput before, DiffInput after)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        foreach (var side in new[] { before, after })
        {
            if (side.Report.Hang is not null)
            {
                throw new AdvisorException(FailureKind.Usage, $"{side.Path}: a hang triage, not a recording: diff compares two recordings or two reports of them");
            }

            if (side.Report.Session.DurationSeconds <= 0)
            {
                throw new AdvisorException(FailureKind.Usage, $"{side.Path}: the run lasted no time, so it has no rates to compare");
            }
        }

        var (programBefore, programAfter) = (Program(before.Report.Target), Program(after.Report.Target));
        if (!string.Equals(programBefore, programAfter, StringComparison.Ordinal))
        {
            throw new AdvisorException(
                FailureKind.Usage,
                $"the runs did different work: {before.Path} ran {programBefore}, {after.Path} ran {programAfter}; diff compares two runs of one program (its arguments may differ)");
        }

        var requests = Requests(before.Report) is { } b && Requests(after.Report) is { } a ? (Before: b, After: a) : ((long Before, long After)?)null;
        var (volumeBefore, volumeAfter, minimum) = requests is { } r
            ? (r.Before, r.After, MinRequests)
            : (BytesMoved(before.Report), BytesMoved(after.Report), MinBytes);
        if (Math.Max(volumeBefore, volumeAfter) < minimum)
        {
            return;
        }

        var (durationBefore, durationAfter) = (before.Report.Session.DurationSeconds, after.Report.Session.DurationSeconds);
        if (Apart(volumeBefore, volumeAfter) && Apart(volumeBefore / durationBefore, volumeAfter / durationAfter))
        {
            string Volume(double total, double seconds) => requests is null
                ? $"{Sizes.Format(total)} read and written ({Sizes.Format(total / seconds)}/s)"
                : string.Create(CultureInfo.InvariantCulture, $"{total:N0} requests ({total / seconds:N1}/s)");
            throw new AdvisorException(
                FailureKind.Usage,
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"the runs did different work: {before.Path} {Volume(volumeBefore, durationBefore)}, {after.Path} {Volume(volumeAfter, durationAfter)}, more than {VolumeFactor}× apart in total and per second; record both with the same workload"));
        }
    }

    /// <summary>
    /// The program a run ran, as a reader knows it: the app's assembly for <c>dotnet app.dll</c>, the program's
    /// file name otherwise, and the verb for <c>dotnet test</c> or <c>dotnet run</c>. Arguments are left out, since
    /// a fix is often switched on by one.
    /// </summary>
    public static string Program(TargetInfo target)
    {
        ArgumentNullException.ThrowIfNull(target);
        var name = ToolingNames.DisplayName(target.Name, target.CommandLine);
        var words = target.CommandLine.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return name == "dotnet" && words.Length > 1 && Path.GetFileName(words[0]) == "dotnet" && !words[1].StartsWith('-') ? $"dotnet {words[1]}" : name;
    }

    /// <summary>The requests a service served, when it reported any.</summary>
    public static long? Requests(AdvisorReport report) =>
        report?.Runtime?.Requests is { Count: > 0 } requests ? requests.Count : null;

    /// <summary>The bytes the run read and wrote (files, pipes, sockets): not the memory mmap and its kin mapped, which the runtime's heap sizes.</summary>
    private static long BytesMoved(AdvisorReport report) =>
        report.Summary.Syscalls.Where(s => (SyscallSemantics.Of(s.Name) & (SyscallTraits.Read | SyscallTraits.Write)) != 0).Sum(s => s.Bytes);

    private static bool Apart(double a, double b) => Math.Max(a, b) > VolumeFactor * Math.Min(a, b);
}
