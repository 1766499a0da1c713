using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace Advisor.IntegrationTests.Support;

/// <summary>
/// The BPF programs loaded in the kernel, as the kernel lists them (through libbpf's id iteration): after the tool
/// is gone, none of its programs may be left. Other runs of the tool may share the host (another test run, another
/// user): a program counts as this test's when it has a tool program's name, was loaded since the test's tool
/// started, and no live process holds it — what is left of a tool that is gone.
/// </summary>
internal static unsafe partial class LoadedBpf
{
    /// <summary>The programs of the tool's object (src/Advisor.Linux/Bpf/Program/syscalls.bpf.c).</summary>
    public static readonly string[] ToolPrograms = ["sys_enter", "sys_exit", "process_fork", "process_exec", "task_rename"];

    private const string Library = "libbpf.so.1";
    private const int ClockBoottime = 7;
    private const int LoadTimeOffset = 40; // struct bpf_prog_info: type, id, tag[8], lengths, two pointers, then load_time (boot clock, ns)
    private const int NameOffset = 64; // ... created_by_uid, nr_map_ids, map_ids, then name[16]

    /// <summary>Now on the boot clock, which a program's load time is counted on: take it before starting the tool.</summary>
    public static long BootNs()
    {
        TimeSpec now;
        if (ClockGettime(ClockBoottime, &now) != 0)
        {
            throw new InvalidOperationException("clock_gettime(CLOCK_BOOTTIME) failed");
        }

        return (now.Seconds * 1_000_000_000L) + now.Nanoseconds;
    }

    /// <summary>
    /// Waits (briefly: the kernel frees a program after a grace period) until no tool program loaded since
    /// <paramref name="sinceBootNs"/> is left without a process holding it.
    /// </summary>
    public static void ShouldHaveNoneLeftSince(long sinceBootNs, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        List<(uint Id, string Name)> left;
        while ((left = LeftSince(sinceBootNs)).Count > 0 && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(50);
        }

        left.Select(p => $"{p.Name} (id {p.Id})").ShouldBeEmpty($"{what}: bpf programs still loaded with no process holding them");
    }

    /// <summary>
    /// The names of the programs a process has attached: those its bpf links (fds of anon_inode:bpf_link) hold. The
    /// tool's sys_enter is attached while it records and detached while paused (monitor's windows).
    /// </summary>
    public static IReadOnlyList<string> AttachedBy(int pid)
    {
        var linked = HeldBy(pid, "anon_inode:bpf_link");
        return Programs().Where(p => linked.Contains(p.Id)).Select(p => p.Name).ToList();
    }

    private static List<(uint Id, string Name)> LeftSince(long sinceBootNs)
    {
        var candidates = Programs().Where(p => p.LoadedNs >= sinceBootNs && ToolPrograms.Contains(p.Name)).ToList();
        if (candidates.Count == 0)
        {
            return [];
        }

        var held = HeldByLiveProcesses();
        return candidates.Where(p => !held.Contains(p.Id)).Select(p => (p.Id, p.Name)).ToList();
    }

    private static List<(uint Id, string Name, long LoadedNs)> Programs()
    {
        var programs = new List<(uint, string, long)>();
        uint id = 0;
        var info = stackalloc byte[256];
        while (NextId(id, &id) == 0)
        {
            var fd = FdById(id);
            if (fd < 0)
            {
                continue; // freed since it was listed
            }

            new Span<byte>(info, 256).Clear();
            var length = 256U;
            if (InfoByFd(fd, info, &length) == 0)
            {
                var name = new ReadOnlySpan<byte>(info + NameOffset, 16);
                var end = name.IndexOf((byte)0);
                programs.Add((id, Encoding.ASCII.GetString(end < 0 ? name : name[..end]), *(long*)(info + LoadTimeOffset)));
            }

            _ = Close(fd);
        }

        return programs;
    }

    /// <summary>The ids of the programs live processes hold, through a program's fd or a link's (fdinfo's prog_id).</summary>
    private static HashSet<uint> HeldByLiveProcesses()
    {
        var held = new HashSet<uint>();
        foreach (var process in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(process), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                held.UnionWith(HeldBy(pid, "anon_inode:bpf"));
            }
        }

        return held;
    }

    /// <summary>The ids of the programs the process holds through fds whose target starts with <paramref name="kind"/>.</summary>
    private static HashSet<uint> HeldBy(int pid, string kind)
    {
        var held = new HashSet<uint>();
        IEnumerable<string> fds;
        try
        {
            fds = Directory.GetFiles($"/proc/{pid}/fd");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return held; // gone, or not ours to read
        }

        foreach (var fd in fds)
        {
            try
            {
                if (new FileInfo(fd).LinkTarget is not { } target || !target.StartsWith(kind, StringComparison.Ordinal))
                {
                    continue;
                }

                var line = File.ReadLines($"/proc/{pid}/fdinfo/{Path.GetFileName(fd)}").FirstOrDefault(l => l.StartsWith("prog_id:", StringComparison.Ordinal));
                if (line is not null)
                {
                    held.Add(uint.Parse(line["prog_id:".Length..].Trim(), CultureInfo.InvariantCulture));
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // closed since it was listed
            }
        }

        return held;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [LibraryImport("libc", EntryPoint = "clock_gettime")]
    private static partial int ClockGettime(int clock, TimeSpec* now);

    [LibraryImport(Library, EntryPoint = "bpf_prog_get_next_id")]
    private static partial int NextId(uint start, uint* next);

    [LibraryImport(Library, EntryPoint = "bpf_prog_get_fd_by_id")]
    private static partial int FdById(uint id);

    [LibraryImport(Library, EntryPoint = "bpf_obj_get_info_by_fd")]
    private static partial int InfoByFd(int fd, void* info, uint* length);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int fd);
}
