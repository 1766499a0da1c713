namespace Advisor.Core.Aggregation;

/// <summary>
/// Tells an fd's <see cref="FdKind"/> from its description, as /proc gives it ("/var/log/app.log",
/// "pipe:[81]", "tcp a → b", "unix /run/x.sock", "anon_inode:[eventfd]"), an strace log or a recording
/// replays it. A directory's description ends in '/': /proc's link does not say, so whoever resolves the fd
/// adds it (a stat at resolution; O_DIRECTORY in a log), the way <c>ls -F</c> marks directories.
/// </summary>
public static class FdKinds
{
    /// <summary>The kinds as rule files spell them, in <see cref="FdKind"/> order.</summary>
    public static IReadOnlyList<string> Names { get; } = Enum.GetValues<FdKind>().Select(Name).ToList();

    public static string Name(FdKind kind) => kind.ToString().ToLowerInvariant();

    public static bool TryParse(string name, out FdKind kind)
    {
        kind = Enum.GetValues<FdKind>().FirstOrDefault(k => Name(k) == name);
        return Name(kind) == name;
    }

    public static FdKind Of(string description)
    {
        ArgumentNullException.ThrowIfNull(description);
        if (FdSlot.IsSocketDescription(description))
        {
            return FdKind.Socket;
        }

        if (description.StartsWith("pipe:", StringComparison.Ordinal))
        {
            return FdKind.Pipe;
        }

        if (description.StartsWith("anon_inode:", StringComparison.Ordinal))
        {
            return FdKind.Event;
        }

        if (!description.StartsWith('/'))
        {
            // "(other fds)", "fd 7 (closed before it was resolved)", "stdout (inherited)": nothing known.
            return FdKind.None;
        }

        if (description.EndsWith('/'))
        {
            return FdKind.Directory;
        }

        if (description.StartsWith("/dev/pts/", StringComparison.Ordinal) || description.StartsWith("/dev/tty", StringComparison.Ordinal)
            || description == "/dev/console")
        {
            return FdKind.Terminal;
        }

        // /dev/shm is a file system (POSIX shared memory, semaphores): its files are files.
        return description.StartsWith("/dev/", StringComparison.Ordinal) && !description.StartsWith("/dev/shm/", StringComparison.Ordinal)
            ? FdKind.Device
            : FdKind.File;
    }

    /// <summary>A directory's path as descriptions spell it: with one trailing '/'.</summary>
    public static string AsDirectory(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return path.EndsWith('/') ? path : path + "/";
    }
}
