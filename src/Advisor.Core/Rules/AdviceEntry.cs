using System.Text.RegularExpressions;
using Advisor.Core.Aggregation;
using Advisor.Core.Findings;

namespace Advisor.Core.Rules;

/// <summary>
/// One piece of a rule's advice. Entries with a selector apply only when it matches the finding — a frame
/// in its stacks (<c>Serilog.Sinks.File</c> picks Serilog's own switch), one of its fds' paths (a
/// <c>-journal</c> file means SQLite), the call it is made of (an <c>openat</c> storm) — and are shown before
/// the general ones. <see cref="Fds"/> says which kinds of fd an entry fits (a directory, a socket): an entry
/// written for some kinds applies only to findings about them, and a general entry with no kinds is for the kinds
/// no applying entry was written for (see <see cref="ConditionRule.SelectAdvice(RuleDefinition, AdviceSubject)"/>).
/// </summary>
public sealed record AdviceEntry(Advice Advice, Regex? Frame, Regex? Path)
{
    /// <summary>The kinds of fd the entry fits; null: written for none in particular.</summary>
    public IReadOnlySet<FdKind>? Fds { get; init; }

    /// <summary>The calls the entry is about (a regular expression over a syscall's name); null: any.</summary>
    public Regex? Syscall { get; init; }

    /// <summary>Selected by what the finding's evidence shows (frames, paths, calls), not only by the kind of fd.</summary>
    public bool IsSpecific => Frame is not null || Path is not null || Syscall is not null;

    public bool IsGeneral => !IsSpecific && Fds is null;

    public bool Matches(AdviceSubject subject)
    {
        ArgumentNullException.ThrowIfNull(subject);
        return (Frame is null || subject.Frames.Any(Frame.IsMatch))
            && (Path is null || subject.Paths.Any(Path.IsMatch))
            && (Syscall is null || subject.Syscalls.Any(Syscall.IsMatch))
            && (Fds is null || subject.Fds.Overlaps(Fds));
    }

    /// <summary>
    /// When the entry applies, in words, each selector quoted by <paramref name="quote"/>: "a frame matches
    /// `Serilog\.Sinks\.File`", "the fd is a directory"; empty for a general entry.
    /// </summary>
    public IReadOnlyList<string> Conditions(Func<string, string> quote)
    {
        ArgumentNullException.ThrowIfNull(quote);
        var parts = new List<string>(4);
        if (Frame is not null)
        {
            parts.Add($"a frame matches {quote(Frame.ToString())}");
        }

        if (Path is not null)
        {
            parts.Add($"the path matches {quote(Path.ToString())}");
        }

        if (Syscall is not null)
        {
            parts.Add($"the call matches {quote(Syscall.ToString())}");
        }

        if (Fds is not null)
        {
            // "the fd is a file, a device or none": no fd (or none known) last.
            var kinds = Fds.OrderBy(k => k == FdKind.None).ThenBy(k => k).Select(k => k == FdKind.None ? "none" : $"a {FdKinds.Name(k)}").ToList();
            parts.Add($"the fd is {(kinds.Count == 1 ? kinds[0] : $"{string.Join(", ", kinds.Take(kinds.Count - 1))} or {kinds[^1]}")}");
        }

        return parts;
    }
}
