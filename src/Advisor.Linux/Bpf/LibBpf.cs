using System.Runtime.InteropServices;

namespace Advisor.Linux.Bpf;

/// <summary>
/// The libbpf entry points the bpf backend needs (libbpf.so.1, which iproute2 brings on Debian and Ubuntu):
/// reading the embedded object, creating its maps, loading and attaching its programs. libbpf does what would
/// otherwise be hand-written here — ELF and BTF parsing, map relocations, CO-RE — while the ring buffer is read
/// in place by <see cref="BpfRingBuffer"/>, with no call back into .NET per record.
/// </summary>
/// <remarks>libbpf 1.x returns NULL or a negative errno and sets errno on failure.</remarks>
internal static unsafe partial class LibBpf
{
    public const string Library = "libbpf.so.1";

    [LibraryImport(Library, EntryPoint = "bpf_object__open_mem", SetLastError = true)]
    public static partial nint ObjectOpenMem(byte* buffer, nuint size, nint options);

    [LibraryImport(Library, EntryPoint = "bpf_object__load", SetLastError = true)]
    public static partial int ObjectLoad(nint obj);

    [LibraryImport(Library, EntryPoint = "bpf_object__close")]
    public static partial void ObjectClose(nint obj);

    [LibraryImport(Library, EntryPoint = "bpf_object__find_map_by_name", StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint FindMap(nint obj, string name);

    [LibraryImport(Library, EntryPoint = "bpf_object__find_program_by_name", StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint FindProgram(nint obj, string name);

    [LibraryImport(Library, EntryPoint = "bpf_map__fd")]
    public static partial int MapFd(nint map);

    [LibraryImport(Library, EntryPoint = "bpf_map__set_max_entries")]
    public static partial int MapSetMaxEntries(nint map, uint maxEntries);

    [LibraryImport(Library, EntryPoint = "bpf_program__attach", SetLastError = true)]
    public static partial nint ProgramAttach(nint program);

    /// <summary>The program's section, e.g. tp_btf/sys_enter: a pointer into libbpf's object, not to be freed.</summary>
    [LibraryImport(Library, EntryPoint = "bpf_program__section_name")]
    public static partial nint ProgramSectionName(nint program);

    [LibraryImport(Library, EntryPoint = "bpf_link__destroy")]
    public static partial int LinkDestroy(nint link);

    [LibraryImport(Library, EntryPoint = "bpf_map_update_elem", SetLastError = true)]
    public static partial int MapUpdate(int fd, void* key, void* value, ulong flags);

    [LibraryImport(Library, EntryPoint = "bpf_map_lookup_elem", SetLastError = true)]
    public static partial int MapLookup(int fd, void* key, void* value);

    [LibraryImport(Library, EntryPoint = "bpf_map_delete_elem", SetLastError = true)]
    public static partial int MapDelete(int fd, void* key);

    [LibraryImport(Library, EntryPoint = "libbpf_num_possible_cpus")]
    public static partial int PossibleCpus();

    /// <summary>1 when this kernel creates maps of the type (a bpf_map_type), 0 when not, a negative errno when the probe failed.</summary>
    [LibraryImport(Library, EntryPoint = "libbpf_probe_bpf_map_type")]
    public static partial int ProbeMapType(int mapType, nint options);

    /// <summary>libbpf writes its warnings to stderr unless told otherwise; the tool says what failed in one line.</summary>
    [LibraryImport(Library, EntryPoint = "libbpf_set_print")]
    public static partial nint SetPrint(nint print);
}
