using Advisor.Core.Hang;
using Advisor.Linux.Sockets;

namespace Advisor.Linux.Procfs;

/// <summary>The sockets a process holds, by fd, from /proc/PID/fd and the socket tables of its network namespace.</summary>
public static class ProcessSockets
{
    /// <summary>Every socket fd of the process the tables describe; empty when its fds cannot be read.</summary>
    public static IReadOnlyList<ProcessSocket> Read(int pid)
    {
        List<(int Fd, long Inode)> inodes;
        try
        {
            inodes = SocketFds.Read(pid);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Gone, or not ours to read: no sockets to say which connection a thread waits on.
            return [];
        }

        if (inodes.Count == 0)
        {
            return [];
        }

        var entries = SocketTable.Entries(pid);
        return inodes
            .Where(i => entries.ContainsKey(i.Inode))
            .OrderBy(i => i.Fd)
            .Select(i => new ProcessSocket(i.Fd, entries[i.Inode].Description, entries[i.Inode].Listening, entries[i.Inode].UnreadBytes))
            .ToList();
    }
}
