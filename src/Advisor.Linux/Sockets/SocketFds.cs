using System.Globalization;

namespace Advisor.Linux.Sockets;

/// <summary>A process's socket fds and their inodes, from the links in /proc/PID/fd ("socket:[81234]").</summary>
internal static class SocketFds
{
    private const string SocketPrefix = "socket:[";

    /// <summary>Every fd of the process that is a socket, with its inode.</summary>
    /// <exception cref="IOException">The process is gone.</exception>
    /// <exception cref="UnauthorizedAccessException">Its fds are not ours to read.</exception>
    public static List<(int Fd, long Inode)> Read(int pid)
    {
        var sockets = new List<(int Fd, long Inode)>();
        foreach (var link in new DirectoryInfo($"/proc/{pid}/fd").EnumerateFileSystemInfos())
        {
            if (int.TryParse(link.Name, NumberStyles.None, CultureInfo.InvariantCulture, out var fd) && Inode(ReadLink(link)) is { } inode)
            {
                sockets.Add((fd, inode));
            }
        }

        return sockets;
    }

    /// <summary>The socket's inode from an fd's link target, or null when the fd is not a socket.</summary>
    public static long? Inode(string? target) =>
        target is not null && target.StartsWith(SocketPrefix, StringComparison.Ordinal) && target.EndsWith(']')
        && long.TryParse(target.AsSpan(SocketPrefix.Length, target.Length - SocketPrefix.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var inode)
            ? inode
            : null;

    /// <summary>The link's target, or null when the fd was closed while the directory was read.</summary>
    private static string? ReadLink(FileSystemInfo link)
    {
        try
        {
            return link.LinkTarget;
        }
        catch (IOException)
        {
            return null;
        }
    }
}
