namespace Advisor.Linux.Perf;

/// <summary>
/// Which thread each perf event was opened on. A sample whose thread is not the event's owner came through
/// inheritance (a thread created after we attached). Threads found by a re-scan during attach may be
/// covered both ways; the pairer uses this to count each syscall once.
/// </summary>
internal sealed class EventOwners
{
    // Few events (threads × CPUs × 2) and read on every sample: a flat array scanned from the most recent
    // match beats a dictionary's hashing here.
    private ulong[] _ids = new ulong[64];
    private int[] _tids = new int[64];
    private int _count;
    private int _last;
    private readonly Lock _gate = new();

    public void Add(ulong eventId, int tid)
    {
        lock (_gate)
        {
            if (_count == _ids.Length)
            {
                var ids = new ulong[_count * 2];
                var tids = new int[_count * 2];
                _ids.AsSpan().CopyTo(ids);
                _tids.AsSpan().CopyTo(tids);
                // Publish the filled arrays before the count grows, for the drain thread's lock-free reads.
                _tids = tids;
                _ids = ids;
            }

            _ids[_count] = eventId;
            _tids[_count] = tid;
            Volatile.Write(ref _count, _count + 1);
        }
    }

    /// <summary>True when the sample came from the event opened directly on <paramref name="tid"/>.</summary>
    public bool IsDirect(ulong eventId, int tid)
    {
        var ids = _ids;
        var tids = _tids;
        var count = Math.Min(Volatile.Read(ref _count), Math.Min(ids.Length, tids.Length));
        var last = _last;
        if (last < count && ids[last] == eventId)
        {
            return tids[last] == tid;
        }

        for (var i = 0; i < count; i++)
        {
            if (ids[i] == eventId)
            {
                _last = i;
                return tids[i] == tid;
            }
        }

        // An id we never registered cannot be one of ours opened directly.
        return false;
    }
}
