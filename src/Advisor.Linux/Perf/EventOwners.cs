namespace Advisor.Linux.Perf;

/// <summary>
/// Which thread each perf event was opened on. A sample whose thread is not the event's owner came through
/// inheritance (a thread created after we attached). Threads found by a re-scan during attach may be
/// covered both ways; the pairer uses this to count each syscall once.
/// </summary>
/// <remarks>
/// Read for every record by the drain thread while the attach loop may still add threads, so the map is
/// copied on write and published whole: reads take no lock and see one consistent version. Threads are
/// added a batch (all their CPUs' events) at a time, which keeps the copying to one per thread.
/// </remarks>
internal sealed class EventOwners
{
    private readonly Lock _gate = new();
    private Dictionary<ulong, int> _owners = new();

    public void Add(ulong eventId, int tid) => Add([eventId], tid);

    public void Add(ReadOnlySpan<ulong> eventIds, int tid)
    {
        lock (_gate)
        {
            var next = new Dictionary<ulong, int>(_owners);
            foreach (var id in eventIds)
            {
                next[id] = tid;
            }

            Volatile.Write(ref _owners, next);
        }
    }

    /// <summary>True when the sample came from the event opened directly on <paramref name="tid"/>.</summary>
    public bool IsDirect(ulong eventId, int tid) =>
        Volatile.Read(ref _owners).TryGetValue(eventId, out var owner) && owner == tid;
}
