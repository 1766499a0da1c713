namespace Advisor.Core.Monitoring;

/// <summary>
/// How often <c>monitor</c> may save evidence: per process, once per cooldown; in the whole run, at most a limit.
/// Every attempt counts, a hang triage that found the process not hung included: its ClrMD pause is the cost the
/// cooldown bounds. A trigger refused is said once per cooldown (or once for the limit), not every interval.
/// </summary>
public sealed class CollectionLimiter(TimeSpan cooldown, int limit)
{
    private readonly Dictionary<int, DateTimeOffset> _last = [];
    private readonly Dictionary<int, DateTimeOffset> _refusalSaid = [];
    private bool _limitSaid;
    private int _granted;

    public int Granted => _granted;

    /// <summary>Asks to collect evidence of a process now; granted, the attempt counts.</summary>
    public CollectionPermit Ask(int pid, DateTimeOffset at)
    {
        if (_granted >= limit)
        {
            var first = !_limitSaid;
            _limitSaid = true;
            return new CollectionPermit(false, first ? $"the limit of {limit} collection{(limit == 1 ? "" : "s")} for this run is reached" : null);
        }

        if (_last.TryGetValue(pid, out var last) && at - last < cooldown)
        {
            var first = !_refusalSaid.TryGetValue(pid, out var said) || said < last;
            _refusalSaid[pid] = at;
            return new CollectionPermit(false, first ? $"within the cooldown until {(last + cooldown).UtcDateTime.ToString("HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture)}Z" : null);
        }

        _last[pid] = at;
        _granted++;
        return new CollectionPermit(true, null);
    }

    /// <summary>A process that exited: a new one may reuse its pid.</summary>
    public void Forget(int pid)
    {
        _last.Remove(pid);
        _refusalSaid.Remove(pid);
    }
}
