namespace Advisor.Linux.ProcSampling;

/// <summary>
/// Which of a process's files opened for writing grew since the last look: where its writes went. /proc
/// counts a thread's writes exactly but not their fd, and a thread in a write storm is always "running" when
/// sampled, so its syscall file never shows the fd; the file that grows does (positioned writes such as
/// FileStream's pwrite64 leave the offset alone, so the size is what to watch, not fdinfo's pos).
/// </summary>
internal sealed class GrowingFiles
{
    // Descriptor tables change slowly next to the sampling rate: list them every so many samples.
    private const int RefreshEvery = 10;
    private const int MaxFiles = 256;
    private const int AccessModeMask = 3;

    private readonly int _pid;
    private readonly Procfs.ProcfsIntrospector _procfs = new();
    private readonly Dictionary<int, (string Path, long Size)> _files = new();
    private int _sinceRefresh = RefreshEvery;
    private bool _listedOnce;
    private int? _lastBusiest;

    public GrowingFiles(int pid) => _pid = pid;

    /// <summary>
    /// What the call before the last one returned. The io counters are read a moment before the sizes, so the
    /// first writes of a storm can grow the file in one round and be counted in the next; if the writer then
    /// sleeps through a round (a loaded machine), the round that counts them sees no growth at all.
    /// </summary>
    public int? PreviousBusiest { get; private set; }

    /// <summary>The fd whose file grew most since the last call, or null when none did.</summary>
    /// <param name="look">List the fds now rather than when due: some writes went nowhere known last time.</param>
    public int? Busiest(bool look = false)
    {
        if (++_sinceRefresh >= RefreshEvery || look)
        {
            Refresh();
        }

        int? busiest = null;
        var most = 0L;
        foreach (var (fd, (path, size)) in _files.ToList())
        {
            // Measured by its path, so a file closed since (the writer finished, or the target is exiting) still
            // owns what it grew by until it closed.
            var now = SizeOf(path);
            if (now - size > most)
            {
                most = now - size;
                busiest = fd;
            }

            if (now < 0 || Path(fd) != path)
            {
                _files.Remove(fd); // closed, or its number reused: picked up again at the next refresh
                continue;
            }

            _files[fd] = (path, now);
        }

        PreviousBusiest = _lastBusiest;
        _lastBusiest = busiest;
        return busiest;
    }

    private void Refresh()
    {
        _sinceRefresh = 0;
        IEnumerable<string> entries;
        try
        {
            entries = Directory.EnumerateFileSystemEntries($"/proc/{_pid}/fd").ToList();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return;
        }

        foreach (var entry in entries)
        {
            if (_files.Count >= MaxFiles)
            {
                break;
            }

            if (!int.TryParse(System.IO.Path.GetFileName(entry), out var fd) || _files.ContainsKey(fd))
            {
                continue;
            }

            // A file first seen after the first listing was opened since: what it holds was written since.
            if (Path(fd) is { } path && path.StartsWith('/') && OpenForWriting(fd) && SizeOf(path) is >= 0 and var size)
            {
                _files[fd] = (path, _listedOnce ? 0 : size);
            }
        }

        _listedOnce = true;
    }

    private string? Path(int fd)
    {
        try
        {
            return new FileInfo($"/proc/{_pid}/fd/{fd}").LinkTarget;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private bool OpenForWriting(int fd) => _procfs.FdOpenFlags(_pid, fd) is { } flags && (flags & AccessModeMask) != 0;

    // The size of the file the fd's link names (a FileInfo of the /proc link itself describes the link).
    private static long SizeOf(string path)
    {
        try
        {
            var info = new FileInfo(path);
            return info.Exists ? info.Length : -1;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return -1;
        }
    }
}
