namespace Advisor.Linux.Strace;

/// <summary>
/// A first pass over an strace log: which process each thread belongs to, when the log starts and ends, and
/// how well-formed it is. Needed before the replay because strace names threads, not processes, and a
/// thread's first calls are often printed before the clone that made it returns in its parent.
/// </summary>
public sealed record StraceLogSurvey(
    IReadOnlyDictionary<int, int> ProcessOfThread,
    int FirstProcess,
    long Calls,
    long StartNs,
    long EndNs,
    long Lines,
    long NotUnderstood,
    long FirstNotUnderstood,
    long Untimed,
    long WithoutDuration,
    long Unpaired)
{
    /// <summary>The process (thread group) of a thread; threads the log never placed belong to the first process.</summary>
    public int ProcessOf(int tid) => ProcessOfThread.GetValueOrDefault(tid, FirstProcess);

    /// <param name="giveUpAfter">Lines without a single call after which the file is not an strace log.</param>
    public static StraceLogSurvey Take(string path, long giveUpAfter)
    {
        var reader = new StraceLogReader(path);
        var calls = 0L;
        var start = long.MaxValue;
        var seen = new List<int>();
        var seenSet = new HashSet<int>();
        var known = new Dictionary<int, int>();           // getpid() told us
        var spawnedBy = new Dictionary<int, (int Parent, bool Thread)>();
        foreach (var call in reader.Calls(giveUpAfter))
        {
            calls++;
            start = Math.Min(start, call.StartNs);
            if (seenSet.Add(call.Tid))
            {
                seen.Add(call.Tid);
            }

            if (!long.TryParse(call.Result.Split(' ', 2)[0], out var child) || child <= 0 || child > int.MaxValue)
            {
                continue;
            }

            switch (call.Name)
            {
                case "getpid":
                    known[call.Tid] = (int)child;
                    break;
                case "clone" or "clone3":
                    spawnedBy[(int)child] = (call.Tid, call.Arguments.Contains("CLONE_THREAD", StringComparison.Ordinal));
                    break;
                case "fork" or "vfork":
                    spawnedBy[(int)child] = (call.Tid, false);
                    break;
            }
        }

        // Threads attached rather than created in the log (strace -p) belong to the process strace was pointed
        // at, whose id is its first thread's: the smallest of them.
        var roots = seen.Where(t => !spawnedBy.ContainsKey(t) && !known.ContainsKey(t)).ToList();
        var first = seen.Count == 0 ? 0 : known.GetValueOrDefault(seen[0], roots.Count > 0 ? roots.Min() : seen[0]);
        var processOf = new Dictionary<int, int>();
        foreach (var tid in seen)
        {
            processOf[tid] = Resolve(tid, known, spawnedBy, first);
        }

        return new StraceLogSurvey(
            processOf, first, calls, start == long.MaxValue ? 0 : start, Math.Max(reader.LastTimeNs, 0), reader.Lines, reader.NotUnderstood,
            reader.FirstNotUnderstood, reader.Untimed, reader.WithoutDuration, reader.Unpaired);
    }

    private static int Resolve(int tid, Dictionary<int, int> known, Dictionary<int, (int Parent, bool Thread)> spawnedBy, int first)
    {
        // Walks up the chain of thread creations (bounded: a cycle would be a corrupted log).
        var current = tid;
        for (var hops = 0; hops < 4096; hops++)
        {
            if (known.TryGetValue(current, out var pid))
            {
                return pid;
            }

            if (!spawnedBy.TryGetValue(current, out var spawn))
            {
                return first; // attached, not created in the log
            }

            if (!spawn.Thread)
            {
                return current;
            }

            current = spawn.Parent;
        }

        return first;
    }
}
