using Advisor.Core.Aggregation;

namespace Advisor.Core.Rules;

/// <summary>What a finding's advice is chosen by: the frames of its stacks, what its fds refer to, the kinds of fd it is about and its calls.</summary>
/// <param name="Paths">The descriptions of the finding's fds: a path selector matches when one of them does.</param>
/// <param name="Fds">The kinds of fd the finding is about (<see cref="FindingFdKinds"/>); <see cref="FdKind.None"/> when none is known.</param>
/// <param name="Syscalls">The calls the finding counts.</param>
public sealed record AdviceSubject(
    IReadOnlyList<string> Frames, IReadOnlyCollection<string> Paths, IReadOnlySet<FdKind> Fds, IReadOnlyCollection<string> Syscalls)
{
    /// <summary>A subject known by its frames and the fds' descriptions alone (hang triage): the kinds are those the descriptions tell.</summary>
    public static AdviceSubject Of(IEnumerable<string> frames, IReadOnlyCollection<string> paths, IReadOnlyCollection<string>? syscalls = null)
    {
        ArgumentNullException.ThrowIfNull(frames);
        ArgumentNullException.ThrowIfNull(paths);
        var kinds = paths.Select(FdKinds.Of).ToHashSet();
        if (kinds.Count == 0)
        {
            kinds.Add(FdKind.None);
        }

        return new AdviceSubject(frames.ToList(), paths, kinds, syscalls ?? []);
    }
}
