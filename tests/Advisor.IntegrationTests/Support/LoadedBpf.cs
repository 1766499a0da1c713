using System.Runtime.InteropServices;
using System.Text;

namespace Advisor.IntegrationTests.Support;

/// <summary>
/// The BPF programs loaded in the kernel, by name, as the kernel lists them (through libbpf's id iteration):
/// after the tool is gone, none of its programs may be left.
/// </summary>
internal static unsafe partial class LoadedBpf
{
    /// <summary>The programs of the tool's object (src/Advisor.Linux/Bpf/Program/syscalls.bpf.c).</summary>
    public static readonly string[] ToolPrograms = ["sys_enter", "sys_exit", "process_fork", "process_exec", "task_rename"];

    private const string Library = "libbpf.so.1";
    private const int NameOffset = 64; // struct bpf_prog_info: type, id, tag[8], lengths, pointers, load_time, uid, map ids, then name[16]

    public static IReadOnlyList<string> ProgramNames()
    {
        var names = new List<string>();
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
                names.Add(Encoding.ASCII.GetString(end < 0 ? name : name[..end]));
            }

            _ = Close(fd);
        }

        return names;
    }

    /// <summary>Waits (briefly: the kernel frees a program after a grace period) until none of the tool's programs is loaded.</summary>
    public static void ShouldHaveNoneOfTheTools(string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(5);
        string[] left;
        while ((left = ProgramNames().Intersect(ToolPrograms).ToArray()).Length > 0 && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(50);
        }

        left.ShouldBeEmpty($"{what}: bpf programs still loaded");
    }

    [LibraryImport(Library, EntryPoint = "bpf_prog_get_next_id")]
    private static partial int NextId(uint start, uint* next);

    [LibraryImport(Library, EntryPoint = "bpf_prog_get_fd_by_id")]
    private static partial int FdById(uint id);

    [LibraryImport(Library, EntryPoint = "bpf_obj_get_info_by_fd")]
    private static partial int InfoByFd(int fd, void* info, uint* length);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int fd);
}
