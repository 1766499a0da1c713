using Advisor.Core.Findings;

namespace Advisor.Core.Monitoring;

/// <summary>
/// The findings in force while a process is watched, interval after interval: one seen in an interval is
/// raised (new) or still active; one not seen for <see cref="ClearAfter"/> intervals in a row is cleared. A
/// pattern that flickers around a threshold then neither floods the log nor flaps a Prometheus series.
/// Bounded: only findings active now are kept, at most one per rule, process and subject.
/// </summary>
public sealed class ActiveFindings(int clearAfter = 1)
{
    private readonly Dictionary<FindingKey, Active> _active = new();

    /// <summary>Intervals in a row without the finding before it is cleared.</summary>
    public int ClearAfter { get; } = clearAfter >= 1 ? clearAfter : throw new ArgumentOutOfRangeException(nameof(clearAfter));

    /// <summary>The findings active now, each as last seen, with when it was first raised.</summary>
    public IReadOnlyList<(Finding Finding, DateTimeOffset Since)> Current =>
        _active.Values.Select(a => (a.Finding, a.Since)).OrderBy(a => a.Since).ThenBy(a => a.Finding.RuleId, StringComparer.Ordinal).ToList();

    /// <summary>Takes one interval's findings.</summary>
    /// <param name="pids">The processes this interval watched: an active finding of another process (one that exited) is cleared at once.</param>
    /// <returns>What changed: findings raised, then findings cleared.</returns>
    public IReadOnlyList<FindingTransition> Update(IReadOnlyList<Finding> findings, DateTimeOffset at, IReadOnlySet<int>? pids = null)
    {
        ArgumentNullException.ThrowIfNull(findings);
        var changes = new List<FindingTransition>();
        var seen = new HashSet<FindingKey>();
        foreach (var finding in findings)
        {
            var key = FindingKey.Of(finding);
            if (!seen.Add(key))
            {
                continue; // one per key: the rules rank the most costly first
            }

            if (_active.TryGetValue(key, out var active))
            {
                _active[key] = active with { Finding = finding, Missed = 0 };
            }
            else
            {
                _active[key] = new Active(finding, at, 0);
                changes.Add(new FindingTransition(FindingChange.Raised, finding, at, at));
            }
        }

        foreach (var (key, active) in _active.Where(a => !seen.Contains(a.Key)).ToList())
        {
            var gone = key.Pid is { } pid && pids is not null && !pids.Contains(pid);
            if (gone || active.Missed + 1 >= ClearAfter)
            {
                _active.Remove(key);
                changes.Add(new FindingTransition(FindingChange.Cleared, active.Finding, active.Since, at));
            }
            else
            {
                _active[key] = active with { Missed = active.Missed + 1 };
            }
        }

        return changes;
    }

    /// <summary>Clears every active finding: the process they are about is no longer watched.</summary>
    public IReadOnlyList<FindingTransition> ClearAll(DateTimeOffset at)
    {
        var changes = _active.Values.Select(a => new FindingTransition(FindingChange.Cleared, a.Finding, a.Since, at)).ToList();
        _active.Clear();
        return changes;
    }

    private sealed record Active(Finding Finding, DateTimeOffset Since, int Missed);
}
