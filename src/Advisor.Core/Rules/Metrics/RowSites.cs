using Advisor.Core.Aggregation;

namespace Advisor.Core.Rules.Metrics;

/// <summary>
/// The call site a row's calls are grouped under (<see cref="GroupBy.Site"/>): the site of the busiest of its stacks
/// that names one. With sampled stacks a row can have none walked — perf samples one call in N of each thread,
/// whatever the syscall, so a worker's 25 reads on one socket may all be missed — and its calls are then taken to
/// come from where the same thread was seen making that syscall, or else where its program was. Left without a
/// site, they would make a second finding "from .NET TP Worker" beside the one that names the method.
/// </summary>
internal sealed class RowSites
{
    private readonly AggregateSnapshot _snapshot;
    private readonly Dictionary<(int Tid, int Number), string> _byThread = new();
    private readonly Dictionary<(string Program, int Number), string> _byProgram = new();
    private readonly Dictionary<int, string> _byProcess = new();

    public RowSites(AggregateSnapshot snapshot)
    {
        _snapshot = snapshot;
        var threadCalls = new Dictionary<(int, int), long>();
        var programCalls = new Dictionary<(string, int), long>();
        var processCalls = new Dictionary<int, long>();
        foreach (var row in snapshot.Rows)
        {
            if (OwnSite(row) is not { } site)
            {
                continue;
            }

            Keep(_byThread, threadCalls, (row.Tid, row.Number), site, row.Stats.Count);
            Keep(_byProgram, programCalls, (snapshot.ProgramOf(row.Pid), row.Number), site, row.Stats.Count);
            Keep(_byProcess, processCalls, row.Pid, site, row.Stats.Count);
        }
    }

    /// <summary>
    /// The site a row's calls came from, as far as anything tells: <see cref="Of"/>, or else the site of the busiest
    /// walked calls of its process, whatever their syscall. Only to tell which calls a finding explains: a child
    /// Process.Start forked resets its signal handlers (walked, from Process.Start) and then execs (never walked on
    /// perf, whose one call in 61 falls on the resets), and the execs are the finding.
    /// </summary>
    public string OfOrProcess(StatsRow row) => Of(row) is { Length: > 0 } site ? site : _byProcess.GetValueOrDefault(row.Pid, "");

    /// <summary>The row's site, its thread's or its program's for that syscall, or empty when none is known.</summary>
    public string Of(StatsRow row) =>
        OwnSite(row)
        ?? _byThread.GetValueOrDefault((row.Tid, row.Number))
        ?? _byProgram.GetValueOrDefault((_snapshot.ProgramOf(row.Pid), row.Number))
        ?? "";

    /// <summary>The call site of the busiest of the row's stacks that has one (a truncated stack beside it names none).</summary>
    private string? OwnSite(StatsRow row)
    {
        foreach (var (id, _) in row.Stacks)
        {
            if (_snapshot.Stacks[id].CallSite is { } site)
            {
                return site;
            }
        }

        return null;
    }

    /// <summary>Keeps the site of the row with the most calls for the key.</summary>
    private static void Keep<TKey>(Dictionary<TKey, string> sites, Dictionary<TKey, long> calls, TKey key, string site, long count)
        where TKey : notnull
    {
        if (count > calls.GetValueOrDefault(key))
        {
            calls[key] = count;
            sites[key] = site;
        }
    }
}
