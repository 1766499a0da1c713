using System.Runtime.InteropServices;
using Advisor.Core.Targets;

namespace Advisor.Core.Aggregation;

/// <summary>
/// Maps (pid, fd) to an <see cref="FdSlot"/>, resolving what the fd refers to the first time it is used
/// after being opened. An fd number can only be reused after it is closed (close, dup2 over it, exec), and
/// those calls invalidate the mapping, so a cached answer is never stale for longer than the drain lag.
/// </summary>
public sealed class FdSlots
{
    /// <summary>The slot of calls that take no fd.</summary>
    public const int None = -1;

    /// <summary>The slot every fd shares once <see cref="MaxSlots"/> distinct ones were seen.</summary>
    public const int Overflow = 0;

    private const int MaxSlots = 8192;
    private const int MaxOpenMappings = 65536;

    private readonly ITargetIntrospector _introspector;
    private readonly Dictionary<(int Pid, int Fd), int> _open = new();
    private readonly Dictionary<(int Pid, int Fd, string Description), int> _interned = new();
    private readonly List<FdSlot> _slots = [new FdSlot(Overflow, 0, -1, "(other fds)")];
    private readonly List<long> _opens = [0];
    // The access mode each fd was opened with, until it is resolved: a drain that lags behind the target may
    // find the fd number already closed and reused for another file, which must not take this one's calls.
    private readonly Dictionary<(int Pid, int Fd), int> _openedAs = new();
    private (int Pid, int Fd) _lastKey = (-1, -1);
    private int _lastSlot;

    public FdSlots(ITargetIntrospector introspector) => _introspector = introspector;

    public IReadOnlyList<FdSlot> All => _slots;

    /// <summary>The slots with their open counts, frozen for a snapshot.</summary>
    public List<FdSlot> Freeze() => _slots.Select(s => s with { Opens = _opens[s.Id] }).ToList();

    public int SlotOf(int pid, int fd)
    {
        if (_lastKey.Pid == pid && _lastKey.Fd == fd)
        {
            return _lastSlot;
        }

        if (!_open.TryGetValue((pid, fd), out var slot))
        {
            var description = _introspector.DescribeFd(pid, fd);
            if (description is not null && _openedAs.Remove((pid, fd), out var mode) && _introspector.FdAccessMode(pid, fd) is { } now && now != mode)
            {
                description = null; // reused since: what we would read is another file
            }

            slot = Intern(pid, fd, description ?? $"fd {fd} (closed before it was resolved)", resolved: description is not null);
            _open[(pid, fd)] = slot;
            _opens[slot]++;
        }

        _lastKey = (pid, fd);
        _lastSlot = slot;
        return slot;
    }

    /// <summary>An open call returned this fd, asking for this access mode (flags &amp; O_ACCMODE).</summary>
    public void Opened(int pid, int fd, int accessMode)
    {
        Invalidate(pid, fd);
        if (_openedAs.Count < MaxOpenMappings || _openedAs.ContainsKey((pid, fd)))
        {
            _openedAs[(pid, fd)] = accessMode & 3;
        }
    }

    public void Invalidate(int pid, int fd)
    {
        _open.Remove((pid, fd));
        if (_lastKey == (pid, fd))
        {
            _lastKey = (-1, -1);
        }
    }

    public void InvalidateRange(int pid, int first, int last)
    {
        foreach (var key in _open.Keys.Where(k => k.Pid == pid && k.Fd >= first && k.Fd <= last).ToList())
        {
            _open.Remove(key);
        }

        _lastKey = (-1, -1);
    }

    public void InvalidateProcess(int pid) => InvalidateRange(pid, 0, int.MaxValue);

    private int Intern(int pid, int fd, string description, bool resolved)
    {
        if (_open.Count > MaxOpenMappings)
        {
            // Bounded memory for targets that spawn endless short-lived processes: forget, re-resolve later.
            _open.Clear();
            _lastKey = (-1, -1);
        }

        ref var id = ref CollectionsMarshal.GetValueRefOrAddDefault(_interned, (pid, fd, description), out var exists);
        if (!exists)
        {
            if (_slots.Count >= MaxSlots)
            {
                _interned.Remove((pid, fd, description));
                return Overflow;
            }

            id = _slots.Count;
            _slots.Add(new FdSlot(id, pid, fd, description, Resolved: resolved));
            _opens.Add(0);
        }

        return id;
    }
}
