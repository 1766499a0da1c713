using Advisor.Core.Targets;

namespace Advisor.Linux.Procfs;

/// <summary>Names fds and threads of a live target from /proc.</summary>
public sealed class ProcfsIntrospector : ITargetIntrospector
{
    private const string SocketPrefix = "socket:[";
    private const string DeletedSuffix = " (deleted)";
    private readonly Dictionary<int, (Dictionary<long, string> Endpoints, long ReadAtMs)> _sockets = new();
    private readonly OpenPathReader _openPaths = new();

    public string? PathGivenToOpen(int pid, int fd, ulong address, string? captured) => captured ?? _openPaths.Read(pid, address);

    public string? DescribeFd(int pid, int fd)
    {
        if (fd == ProcSampling.ProcSyscallSource.UnknownFd)
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
            return target?.EndsWith(DeletedSuffix, StringComparison.Ordinal) == true ? target[..^DeletedSuffix.Length] : target;
        }

        var inode = long.Parse(target.AsSpan(SocketPrefix.Length, target.Length - SocketPrefix.Length - 1), System.Globalization.CultureInfo.InvariantCulture);
        return Endpoint(pid, inode) ?? target;
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
