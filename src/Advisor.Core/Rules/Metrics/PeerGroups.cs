using System.Globalization;
using Advisor.Core.Aggregation;
using Advisor.Core.Stacks;

namespace Advisor.Core.Rules.Metrics;

/// <summary>
/// Groups a process's calls on its client sockets by the server at the other end (per program and endpoint,
/// across a pool's connections) and adds what their conversations say: round trips, the waits for answers,
/// whether exchanges overlapped, the runtime's spinning meanwhile, and who the server is. When the library
/// sends and receives on its own threads (StackExchange.Redis), the caller is found where it waited: the
/// futex stacks of the same process that pass through that library and reach the application's code.
/// </summary>
internal static class PeerGroups
{
    public static IReadOnlyList<MetricGroup> Build(AggregateSnapshot snapshot, IEnumerable<StatsRow> rows)
    {
        var ports = ConversationSide.PortUse.Of(snapshot.Fds);
        var clients = snapshot.ConversationsByFdSlot
            .Where(p => p.Key < snapshot.Fds.Count && ConversationSide.IsClient(snapshot.Fds[p.Key], p.Value, ports))
            .ToDictionary(p => p.Key, p => p.Value);
        return rows.Where(r => r.Fd is not null && clients.ContainsKey(r.Fd.Id))
            .GroupBy(r => (Program: snapshot.ProgramOf(r.Pid), Peer: PeerOf(r.Fd!)))
            .Select(g => Create(snapshot, g.Key.Peer, g.ToList(), clients))
            .ToList();
    }

    private static string PeerOf(FdSlot fd) => fd.RemoteEndpoint ?? fd.Description;

    private static MetricGroup Create(AggregateSnapshot snapshot, string peer, IReadOnlyList<StatsRow> rows, Dictionary<int, SocketConversation> clients)
    {
        var calls = MetricGroupBuilder.Create(snapshot, rows);
        var conversations = rows.Select(r => r.Fd!.Id).Distinct().Select(id => clients[id]).ToList();
        long roundTrips = 0, waitNs = 0, pipelined = 0, spinCalls = 0, spinNs = 0, bytes = 0;
        long first = long.MaxValue, last = 0;
        foreach (var c in conversations)
        {
            roundTrips += c.Exchanges;
            waitNs += c.WaitNs;
            pipelined += c.PipelinedSends;
            spinCalls += c.SpinCalls;
            spinNs += c.SpinNs;
            bytes += c.SendBytes + c.ReceiveBytes;
            first = Math.Min(first, c.FirstNs);
            last = Math.Max(last, c.LastNs);
        }

        var (counts, names) = calls.Stacks;
        var port = ConversationSide.Ports(rows[0].Fd!.Description)?.Remote;
        var library = ClientLibrary.Identify(Frames(counts, names), port, rows[0].Fd!.Description.StartsWith("unix", StringComparison.Ordinal));
        if (!counts.Any(c => names[c.StackId].HasUserFrame))
        {
            // The socket's calls never reach the application: the library talks on its own threads. Who asked is
            // where the application waited; which library, if its frames did not say, is the one it waited in.
            var waits = UserWaits(snapshot, rows);
            if (library.Frames is null && ClientLibrary.MostWaitedIn(waits.Select(w => (Frames(w.Stack), w.Count.Count))) is { } waitedIn)
            {
                library = waitedIn with { Port = library.Port };
            }

            // Only waits inside a known library name the caller: any futex of the process would name whichever
            // method happened to wait on anything.
            if (library.Frames is { } libraryFrames)
            {
                // Only the site: the wait stays the socket's. The caller's own (its futex) adds the hand-off to the
                // library's threads and back, a chain of wake-ups the recorder stretches to several times its bare
                // length (bench/RESULTS.md, "Round trips").
                counts = [.. counts, .. Scaled(waits.Where(w => w.Stack.Frames.Any(f => libraryFrames.IsMatch(f.Name))).Select(w => w.Count), (long)calls[Metric.Count])];
            }
        }

        var span = last > first ? last - first : 0;
        var inFlight = span == 0 ? 0 : (double)waitNs / span;
        // A thread that sends on several connections before their answers (async callers) counts its spinning in
        // each of their waits: share it out rather than count it once per wait.
        var spinShare = inFlight > 1 ? 1 / inFlight : 1;
        var seconds = snapshot.DurationSeconds;
        var requests = calls[Metric.Requests];
        var metrics = calls.Metrics;
        metrics[Metric.RoundTrips] = roundTrips;
        metrics[Metric.RoundTripRate] = seconds <= 0 ? 0 : roundTrips / seconds;
        metrics[Metric.RoundTripsPerRequest] = requests >= 1 ? roundTrips / requests : 0;
        metrics[Metric.WaitedMs] = waitNs / 1e6;
        metrics[Metric.AvgWaitUs] = roundTrips == 0 ? 0 : waitNs / 1e3 / roundTrips;
        metrics[Metric.InFlight] = inFlight;
        metrics[Metric.Connections] = conversations.Count;
        metrics[Metric.PipelinedSends] = pipelined;
        metrics[Metric.SpinCalls] = Math.Round(spinCalls * spinShare);
        metrics[Metric.SpinMs] = spinNs * spinShare / 1e6;
        metrics[Metric.BytesPerRoundTrip] = roundTrips == 0 ? 0 : (double)bytes / roundTrips;

        var labels = new Dictionary<string, string>(calls.Labels, StringComparer.Ordinal)
        {
            ["peer"] = peer,
            ["server"] = library.Display,
            ["perRequest"] = requests >= 1 ? string.Create(CultureInfo.InvariantCulture, $", {roundTrips / requests:0.0} per request") : "",
            ["spin"] = SpinText(metrics),
            ["route"] = RequestRoutes.Of(snapshot, rows.Select(r => r.Pid).ToHashSet(), counts, names) is { } route ? $" in endpoint {route}" : "",
        };
        return new MetricGroup(rows, metrics, labels, (counts, names), calls.ThreadCounts);
    }

    private static IEnumerable<string> Frames(IReadOnlyList<StackCount> counts, CallStacks names) =>
        counts.SelectMany(c => names[c.StackId].Frames).Select(f => f.Name).Distinct();

    private static IReadOnlyList<string> Frames(CallStack stack) => stack.Frames.Select(f => f.Name).ToList();

    /// <summary>Where the group's processes waited in futex from the application's code, per stack.</summary>
    private static List<(CallStack Stack, StackCount Count)> UserWaits(AggregateSnapshot snapshot, IReadOnlyList<StatsRow> rows)
    {
        var pids = rows.Select(r => r.Pid).ToHashSet();
        return snapshot.Rows
            .Where(r => pids.Contains(r.Pid) && r.Syscall == "futex")
            .SelectMany(r => r.Stacks)
            .GroupBy(s => s.StackId)
            .Select(g => (Stack: snapshot.Stacks[g.Key], Count: new StackCount(g.Key, g.Sum(s => s.Count)) { Sampled = g.Sum(s => s.Walked) }))
            .Where(w => w.Stack.HasUserFrame)
            .ToList();
    }

    /// <summary>The waits' counts scaled to the group's calls: they stand in for the calls' own sites.</summary>
    private static IEnumerable<StackCount> Scaled(IEnumerable<StackCount> waits, long calls)
    {
        var list = waits.ToList();
        var total = list.Sum(w => w.Count);
        return total == 0
            ? []
            : list.Select(w => w with { Count = (long)Math.Round((double)w.Count * calls / total), Sampled = w.Walked });
    }

    /// <summary>"; meanwhile the runtime parked or spun the waiters 25,345 times (5.3 s in sched_yield)", or empty.</summary>
    private static string SpinText(MetricValues metrics)
    {
        var calls = metrics[Metric.SpinCalls];
        var roundTrips = metrics[Metric.RoundTrips];
        if (calls < roundTrips || calls < 100)
        {
            return "";
        }

        var yielded = metrics[Metric.SpinMs] >= 1 ? $" ({MessageTemplate.Format(metrics[Metric.SpinMs], "time")} in sched_yield)" : "";
        return string.Create(CultureInfo.InvariantCulture, $"; meanwhile the runtime parked or spun the waiters {calls:N0} times{yielded}");
    }
}
