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

    // The open flags that tell two files apart and that nothing changes after open: the access mode and
    // O_APPEND (the same value on every Linux architecture). A log opened to append and the stdout a runtime
    // dups into the same fd number at exit differ here.
    private const int IdentifyingFlags = 3 | 0x400;

    // Marks an fd made by socket/accept: no open flags to compare, but it must still be a socket.
    private const int Socket = -1;

    private readonly ITargetIntrospector _introspector;
    private readonly Dictionary<(int Pid, int Fd), int> _open = new();
    private readonly Dictionary<(int Pid, int Fd, string Description, bool Observer), int> _interned = new();
    private readonly List<FdSlot> _slots = [new FdSlot(Overflow, 0, -1, "(other fds)")];
    private readonly List<long> _opens = [0];
    // The identifying flags each fd was opened with, until it is resolved: a drain that lags behind the target may
    // find the fd number already closed and reused for another file, which must not take this one's calls.
    private readonly Dictionary<(int Pid, int Fd), int> _openedAs = new();
    // Where the open call's path argument was, until the fd is resolved: the path an fd closed too soon had.
    private readonly Dictionary<(int Pid, int Fd), (ulong At, string? Captured)> _openedPathAt = new();
    // Socket slots whose fd was closed. A socket never comes back: its description (an inode, or a 4-tuple with
    // its ephemeral port) dies with it. Resolving a later fd to one of these means the earlier answer was read
    // after the number had been closed and reused for this socket (a pipe's write, resolved by a lagging drain,
    // taken for the sendto calls of the socket made next under its number).
    private readonly HashSet<int> _closedSockets = [];
    // Where each connect found its address, until the fd is resolved: an fd closed before then is told by where it connected.
    private readonly Dictionary<(int Pid, int Fd), ulong> _connectedTo = new();
    // Sockets the observer's listener (the runtime's diagnostic server) accepted, until they are resolved.
    private readonly HashSet<(int Pid, int Fd)> _acceptedByObserver = [];
    // The fds whose number a call seen has opened or closed: what they were when the recording began no longer holds
    // (a process exec'd or close_range'd touches all of its own). Past the bound, every fd counts as touched.
    private readonly HashSet<(int Pid, int Fd)> _touched = [];
    private readonly HashSet<int> _touchedProcesses = [];
    private bool _touchedOverflow;
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
            var description = Untouched(pid, fd) ? _introspector.DescribeFdOpenAtStart(pid, fd) : _introspector.DescribeFd(pid, fd);
            // Asked at once, while the answer is about the same socket; an unnamed unix socket of the app and the
            // observer's connection share a description, so whose it is keeps their slots apart.
            var connectedTo = _connectedTo.Remove((pid, fd), out var address) ? address : 0;
            var accepted = _acceptedByObserver.Remove((pid, fd));
            var observer = description is not null && FdSlot.IsSocketDescription(description) && _introspector.IsObserverFd(pid, fd, connectedTo);
            if (description is not null && _openedAs.Remove((pid, fd), out var expected) && !_introspector.AnswersAtCallTime
                && !StillTheSame(pid, fd, description, expected, _openedPathAt.GetValueOrDefault((pid, fd)).Captured))
            {
                description = null; // reused since: what we would read is another file
                observer = false;
            }

            if (description is null)
            {
                // Closed (or reused) before it was described: a command's connection, answered in a millisecond, is the
                // observer's if the diagnostic server accepted it or it connected to the observer.
                observer = accepted || (connectedTo != 0 && _introspector.IsObserverFd(pid, fd, connectedTo));
            }

            if (_openedPathAt.Remove((pid, fd), out var given) && description is null)
            {
                description = _introspector.PathGivenToOpen(pid, fd, given.At, given.Captured);
            }

            slot = Intern(pid, fd, description ?? ClosedBeforeResolved(fd), resolved: description is not null, observer);
            if (_closedSockets.Remove(slot))
            {
                Unresolve(slot);
                slot = Intern(pid, fd, description!, resolved: true, observer);
            }

            _open[(pid, fd)] = slot;
            _opens[slot]++;
        }

        _lastKey = (pid, fd);
        _lastSlot = slot;
        return slot;
    }

    /// <summary>
    /// An open call returned this fd, opened with these flags and given the path at <paramref name="pathAt"/>
    /// (which the recorder may have <paramref name="captured"/> with the call).
    /// </summary>
    public void Opened(int pid, int fd, int flags, ulong pathAt = 0, string? captured = null)
    {
        Expect(pid, fd, flags & IdentifyingFlags);
        if ((pathAt != 0 || captured is not null) && (_openedPathAt.Count < MaxOpenMappings || _openedPathAt.ContainsKey((pid, fd))))
        {
            _openedPathAt[(pid, fd)] = (pathAt, captured);
        }
    }

    /// <summary>
    /// The fd is a socket (socket or accept returned it, or a connect is made on it): whatever /proc shows for it
    /// from now on must be a socket.
    /// </summary>
    public void ExpectSocket(int pid, int fd) => Expect(pid, fd, Socket);

    /// <summary>A connect call on the fd was given its address at <paramref name="address"/> in the target.</summary>
    public void Connecting(int pid, int fd, ulong address)
    {
        if (address != 0 && (_connectedTo.Count < MaxOpenMappings || _connectedTo.ContainsKey((pid, fd))))
        {
            _connectedTo[(pid, fd)] = address;
        }
    }

    /// <summary>The observer's listening socket accepted the fd: a tool's connection to the runtime's diagnostic server.</summary>
    public void AcceptedByObserver(int pid, int fd)
    {
        if (_acceptedByObserver.Count < MaxOpenMappings)
        {
            _acceptedByObserver.Add((pid, fd));
        }
    }

    private void Expect(int pid, int fd, int identity)
    {
        Invalidate(pid, fd);
        _openedPathAt.Remove((pid, fd));
        _connectedTo.Remove((pid, fd));
        _acceptedByObserver.Remove((pid, fd));
        if (_openedAs.Count < MaxOpenMappings || _openedAs.ContainsKey((pid, fd)))
        {
            _openedAs[(pid, fd)] = identity;
        }
    }

    /// <summary>
    /// Whether what /proc shows for the fd now can be what the call that made it created: a socket for
    /// socket/accept; for open, a path (never a pipe or socket, which open cannot make) with the same flags and,
    /// where the recorder captured the path the open was given, the same name (a folder listed and closed, its
    /// number reused at once for the next assembly the runtime maps: both read-only).
    /// </summary>
    private bool StillTheSame(int pid, int fd, string description, int expected, string? captured) => expected == Socket
        ? FdSlot.IsSocketDescription(description)
        : description.StartsWith('/') && SameName(captured, description)
            && (_introspector.FdOpenFlags(pid, fd) is not { } now || (now & IdentifyingFlags) == expected);

    /// <summary>
    /// The last name of the path given to open and of the one /proc shows agree, or cannot be compared ("." or "..",
    /// nothing captured). A symbolic link opened by its own name differs too: the name it was opened by then stands.
    /// </summary>
    private static bool SameName(string? given, string shown)
    {
        var name = Path.GetFileName(given?.TrimEnd('/'));
        return string.IsNullOrEmpty(name) || name is "." or ".."
            || string.Equals(name, Path.GetFileName(shown.TrimEnd('/')), StringComparison.Ordinal);
    }

    /// <summary>The fd was closed (close, or dup2 over it): a socket it referred to is gone for good.</summary>
    public void Closed(int pid, int fd)
    {
        if (_open.TryGetValue((pid, fd), out var slot) && _slots[slot].IsSocket)
        {
            _closedSockets.Add(slot);
        }

        Invalidate(pid, fd);
    }

    public void Invalidate(int pid, int fd)
    {
        Touch(_touched, (pid, fd));
        _open.Remove((pid, fd));
        if (_lastKey == (pid, fd))
        {
            _lastKey = (-1, -1);
        }
    }

    public void InvalidateRange(int pid, int first, int last)
    {
        Touch(_touchedProcesses, pid);
        foreach (var key in _open.Keys.Where(k => k.Pid == pid && k.Fd >= first && k.Fd <= last).ToList())
        {
            _open.Remove(key);
        }

        _lastKey = (-1, -1);
    }

    public void InvalidateProcess(int pid) => InvalidateRange(pid, 0, int.MaxValue);

    private bool Untouched(int pid, int fd) => !_touchedOverflow && !_touched.Contains((pid, fd)) && !_touchedProcesses.Contains(pid);

    private void Touch<T>(HashSet<T> touched, T key)
    {
        if (touched.Count < MaxOpenMappings)
        {
            touched.Add(key);
        }
        else
        {
            _touchedOverflow = true;
        }
    }

    private static string ClosedBeforeResolved(int fd) => $"fd {fd} (closed before it was resolved)";

    /// <summary>
    /// What the slot was resolved to was read too late: its calls were made on another file, closed since. They
    /// keep the slot, described as unresolved; the description is free for the file that holds it now.
    /// </summary>
    private void Unresolve(int slot)
    {
        var stale = _slots[slot];
        _interned.Remove((stale.Pid, stale.Fd, stale.Description, stale.Observer));
        _slots[slot] = stale with { Description = ClosedBeforeResolved(stale.Fd), Resolved = false };
    }

    private int Intern(int pid, int fd, string description, bool resolved, bool observer)
    {
        if (_open.Count > MaxOpenMappings)
        {
            // Bounded memory for targets that spawn endless short-lived processes: forget, re-resolve later.
            _open.Clear();
            _lastKey = (-1, -1);
        }

        ref var id = ref CollectionsMarshal.GetValueRefOrAddDefault(_interned, (pid, fd, description, observer), out var exists);
        if (!exists)
        {
            if (_slots.Count >= MaxSlots)
            {
                _interned.Remove((pid, fd, description, observer));
                return Overflow;
            }

            id = _slots.Count;
            _slots.Add(new FdSlot(id, pid, fd, description, Resolved: resolved, Observer: observer));
            _opens.Add(0);
        }

        return id;
    }
}
