using System.Text.RegularExpressions;
using Advisor.Core.Findings;

namespace Advisor.Core.Rules;

/// <summary>
/// One piece of a rule's advice. Entries with a selector apply only when it matches the finding — a frame
/// in its stacks (<c>Serilog.Sinks.File</c> picks Serilog's own switch) or its fd's path (a pipe or
/// terminal means Console output) — and are shown before the general ones.
/// </summary>
public sealed record AdviceEntry(Advice Advice, Regex? Frame, Regex? Path)
{
    public bool IsGeneral => Frame is null && Path is null;

    public bool Matches(IEnumerable<string> frames, string? path) =>
        (Frame is null || frames.Any(Frame.IsMatch)) && (Path is null || (path is not null && Path.IsMatch(path)));
}
