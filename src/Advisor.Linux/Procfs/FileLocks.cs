using System.Globalization;

namespace Advisor.Linux.Procfs;

/// <summary>
/// Who holds a lock on a file, from /proc/locks: "1: FLOCK  ADVISORY  WRITE 4321 08:01:131090 0 EOF" (a
/// line with "->" is a waiter, not a holder). The fd's file is identified by its inode and its mount's
/// device, from /proc/PID/fdinfo and /proc/PID/mountinfo, so no stat(2) call is needed.
/// </summary>
internal static class FileLocks
{
    /// <summary>The pids holding locks on the file behind the fd, other than <paramref name="pid"/> itself.</summary>
    public static IReadOnlyList<int> Holders(int pid, int fd)
    {
        if (FileId(pid, fd) is not { } id || Read("/proc/locks") is not { } locks)
        {
            return [];
        }

        return Holders(pid, id, locks);
    }

    internal static IReadOnlyList<int> Holders(int pid, (int Major, int Minor, long Inode) id, string locks)
    {
        var holders = new List<int>();
        foreach (var line in locks.Split('\n'))
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            // "id: kind mode access pid major:minor:inode start end"
            if (fields.Length < 6 || fields[1] == "->"
                || !int.TryParse(fields[4], NumberStyles.None, CultureInfo.InvariantCulture, out var holder)
                || holder == pid
                || fields[5].Split(':') is not [var major, var minor, var inode]
                || !int.TryParse(major, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var maj)
                || !int.TryParse(minor, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var min)
                || !long.TryParse(inode, NumberStyles.None, CultureInfo.InvariantCulture, out var ino))
            {
                continue;
            }

            if ((maj, min, ino) == id && !holders.Contains(holder))
            {
                holders.Add(holder);
            }
        }

        return holders;
    }

    private static (int Major, int Minor, long Inode)? FileId(int pid, int fd)
    {
        long? inode = null;
        int? mountId = null;
        foreach (var line in (Read($"/proc/{pid}/fdinfo/{fd}") ?? "").Split('\n'))
        {
            if (line.StartsWith("ino:", StringComparison.Ordinal) && long.TryParse(line[4..].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var i))
            {
                inode = i;
            }
            else if (line.StartsWith("mnt_id:", StringComparison.Ordinal) && int.TryParse(line[7..].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var m))
            {
                mountId = m;
            }
        }

        if (inode is null || mountId is null)
        {
            return null;
        }

        // mountinfo: "36 35 98:0 /root /mnt rw … " — mount id, parent id, major:minor (decimal).
        foreach (var line in (Read($"/proc/{pid}/mountinfo") ?? "").Split('\n'))
        {
            var fields = line.Split(' ', 4);
            if (fields.Length >= 3 && fields[0] == mountId.Value.ToString(CultureInfo.InvariantCulture)
                && fields[2].Split(':') is [var major, var minor]
                && int.TryParse(major, NumberStyles.None, CultureInfo.InvariantCulture, out var maj)
                && int.TryParse(minor, NumberStyles.None, CultureInfo.InvariantCulture, out var min))
            {
                return (maj, min, inode.Value);
            }
        }

        return null;
    }

    private static string? Read(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
