using Advisor.Core.Aggregation;
using Advisor.Core.Targets;
using Advisor.Linux.Sockets;

namespace Advisor.Linux.Procfs;

/// <summary>Names fds and threads of a live target from /proc.</summary>
public sealed class ProcfsIntrospector : ITargetIntrospector
{
    private const string SocketPrefix = "socket:[";
    /// <summary>The fd number a backend gives to reads and writes whose fd it could not tell (the /proc backend's sampling).</summary>
    public const int UnknownFd = int.MaxValue;

    private const string DeletedSuffix = " (deleted)";
    private readonly Dictionary<int, (Dictionary<long, string> Endpoints, long ReadAtMs)> _sockets = new();
    private readonly OpenPathReader _openPaths = new();
    private readonly ObserverSockets _observer = new();
    // Written once by the thread that started the recording, read by the drain's.
    private volatile FdTable? _atStart;

    private sealed record FdTable(int Pid, Dictionary<int, string> Descriptions);

    /// <summary>
    /// Reads what every fd of the target refers to, once its recording has begun (calls made since are in the
    /// stream): the answer <see cref="DescribeFdOpenAtStart"/> gives for an fd the stream has not opened or closed
    /// again. Safe beside a drain that asks this introspector meanwhile.
    /// </summary>
    public void ReadFdsOpenAtStart(int pid)
    {
        var describer = new ProcfsIntrospector(); // its caches are its own: the drain's are not touched from here
        var descriptions = new Dictionary<int, string>();
        try
        {
            foreach (var entry in Directory.EnumerateFileSystemEntries($"/proc/{pid}/fd"))
            {
                if (int.TryParse(Path.GetFileName(entry), System.Globalization.CultureInfo.InvariantCulture, out var fd)
                    && describer.DescribeFd(pid, fd) is { } description)
                {
                    descriptions[fd] = description;
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return; // gone, or not ours to read: every fd is then read when first used, as before
        }

        _atStart = new FdTable(pid, descriptions);
    }

    public string? DescribeFdOpenAtStart(int pid, int fd) =>
        _atStart is { } table && table.Pid == pid && table.Descriptions.TryGetValue(fd, out var description) ? description : DescribeFd(pid, fd);

    public string? PathGivenToOpen(int pid, int fd, ulong address, string? captured) =>
        (captured ?? _openPaths.Read(pid, address)) is { } path ? MarkDirectory(path, $"/proc/{pid}/root{path}") : null;

    public string? DescribeFd(int pid, int fd)
    {
        if (fd == UnknownFd)
        {
            return "an fd the /proc backend could not tell";
        }

        string? target;
        try
        {
            target = new FileInfo($"/proc/{pid}/fd/{fd}").LinkTarget;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }

        if (target is null || !target.StartsWith(SocketPrefix, StringComparison.Ordinal) || !target.EndsWith(']'))
        {
            // A file unlinked while open (SQLite's journal at commit) is still the file it was opened as.
            var path = target?.EndsWith(DeletedSuffix, StringComparison.Ordinal) == true ? target[..^DeletedSuffix.Length] : target;
            return path is null ? null : MarkDirectory(path, $"/proc/{pid}/fd/{fd}");
        }

        var inode = long.Parse(target.AsSpan(SocketPrefix.Length, target.Length - SocketPrefix.Length - 1), System.Globalization.CultureInfo.InvariantCulture);
        return Endpoint(pid, inode) ?? target;
    }

    /// <summary>
    /// A directory's path ends in '/' (<see cref="FdKinds"/>): the link does not say, and advice differs (a folder
    /// listed in a loop wants a FileSystemWatcher, not a stream kept open). One stat per fd resolved, through the
    /// fd itself (the file it refers to, renamed or not) or the target's root (its mount namespace); recordings
    /// keep the answer, so a replay needs none.
    /// </summary>
    /// <param name="statPath">Where to stat it: the fd's link, or the path under the target's root.</param>
    private static string MarkDirectory(string path, string statPath) =>
        path.StartsWith('/') && !path.EndsWith('/') && IsDirectory(statPath) ? FdKinds.AsDirectory(path) : path;

    private static bool IsDirectory(string path)
    {
        try
        {
            return Directory.Exists(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    public bool IsObserverFd(int pid, int fd, ulong connectedTo)
    {
        string? target;
        try
        {
            target = new FileInfo($"/proc/{pid}/fd/{fd}").LinkTarget;
        }
        catch (IOException)
        {
            target = null;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }

        if (SocketFds.Inode(target) is not { } inode)
        {
            // Closed already (or its number reused for a file): where it connected tells, if the address it was given (a
            // sockaddr_un: the family, then the path) still holds one of our listeners' paths. The runtime keeps its
            // diagnostic port's in its heap.
            return connectedTo != 0 && _openPaths.Read(pid, connectedTo + sizeof(ushort)) is { } path && _observer.IsListeningOn(path);
        }

        return _observer.IsObserver(inode);
    }

    public int? FdOpenFlags(int pid, int fd)
    {
        try
        {
            // fdinfo: "flags:\t02102001" (octal), the open flags.
            foreach (var line in File.ReadLines($"/proc/{pid}/fdinfo/{fd}"))
            {
                if (line.StartsWith("flags:", StringComparison.Ordinal))
                {
                    return (int)Convert.ToInt64(line[6..].Trim(), 8);
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
        }

        return null;
    }

    public string? LockHolder(int pid, int fd)
    {
        var holders = FileLocks.Holders(pid, fd);
        return holders.Count == 0
            ? null
            : string.Join(", ", holders.Select(h => ProcessIdentity.Read(h) is { } who ? $"pid {h} {who.Name}" : $"pid {h}"));
    }

    public string? ThreadName(int pid, int tid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/task/{tid}/comm").TrimEnd('\n');
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    private string? Endpoint(int pid, long inode)
    {
        var now = Environment.TickCount64;
        if (_sockets.TryGetValue(pid, out var cached) && cached.Endpoints.TryGetValue(inode, out var known))
        {
            return known;
        }

        // A socket we have not seen is usually new: re-read the tables, but not more than every 5 ms, so a
        // connection storm costs us a bounded number of /proc reads. (A drain that reads the target's calls
        // within a millisecond — the bpf backend — asks about a socket moments after it was bound.)
        if (cached.Endpoints is null || now - cached.ReadAtMs >= 5)
        {
            cached = (SocketTable.Read(pid), now);
            _sockets[pid] = cached;
        }

        return cached.Endpoints.GetValueOrDefault(inode);
    }
}
