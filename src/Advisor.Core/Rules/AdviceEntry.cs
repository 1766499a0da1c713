using System.Text.RegularExpressions;
using Advisor.Core.Findings;

namespace Advisor.Core.Rules;

/// <summary>
/// One piece of a rule's advice. Entries with a selector apply only when it matches the finding — a frame
/// in its stacks (<c>Serilog.Sinks.File</c> picks Serilog's own switch) or one of its fds' paths (a pipe or
/// terminal means Console output, a <c>-journal</c> file SQLite) — and are shown before the general ones.
/// </summary>
public sealed record AdviceEntry(Advice Advice, Regex? Frame, Regex? Path)
{
    public bool IsGeneral => Frame is null && Path is null;

    /// <param name="paths">What the finding's fds refer to: a path selector matches when one of them does.</param>
    public bool Matches(IEnumerable<string> frames, IEnumerable<string> paths) =>
        (Frame is null || frames.Any(Frame.IsMatch)) && (Path is null || paths.Any(Path.IsMatch));
}
