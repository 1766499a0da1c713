using System.Globalization;

namespace Advisor.Linux.Bpf;

/// <summary>
/// What about this machine and this process decides whether the bpf backend can load: read only after it was
/// refused, so that the note names the cause the facts show rather than one guessed from the errno alone.
/// </summary>
/// <param name="KernelRelease">uname -r.</param>
/// <param name="HasBtf">The kernel describes itself in BTF (/sys/kernel/btf/vmlinux), which the programs are built against.</param>
/// <param name="HostUserNamespace">This process is in the host's user namespace: its capabilities count for bpf(), which
/// ignores those held in any other (a rootless container's).</param>
/// <param name="HoldsCapabilities">CAP_BPF and CAP_PERFMON are effective (or CAP_SYS_ADMIN, which kernels before 5.8 asked for instead).</param>
/// <param name="SeccompFiltered">A seccomp filter is on this process (a container's default profile, a service's SystemCallFilter).</param>
/// <param name="UnprivilegedBpfDisabled">kernel.unprivileged_bpf_disabled, null when unreadable.</param>
/// <param name="Lockdown">The kernel lockdown mode in force (integrity, confidentiality), null when none or unknown.</param>
/// <param name="RingBuffers">The kernel creates a BPF ring buffer (Linux 5.8); null when the probe itself failed.</param>
/// <param name="TaskStorage">The kernel creates BPF task storage (Linux 5.11); null when the probe itself failed.</param>
internal sealed record BpfHost(
    string KernelRelease,
    bool HasBtf,
    bool HostUserNamespace,
    bool HoldsCapabilities,
    bool SeccompFiltered,
    int? UnprivilegedBpfDisabled,
    string? Lockdown,
    bool? RingBuffers,
    bool? TaskStorage)
{
    private const int CapSysAdmin = 21;
    private const int CapPerfmon = 38;
    private const int CapBpf = 39;
    private const int MapTypeRingBuf = 27;     // BPF_MAP_TYPE_RINGBUF
    private const int MapTypeTaskStorage = 29; // BPF_MAP_TYPE_TASK_STORAGE

    /// <summary>Reads the facts; the two probes each create and free one small map.</summary>
    public static BpfHost Read()
    {
        var status = Lines("/proc/self/status");
        var capabilities = ulong.TryParse(Field(status, "CapEff:"), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var effective) ? effective : 0;
        bool Has(int capability) => (capabilities & (1UL << capability)) != 0;
        return new BpfHost(
            KernelRelease: Text("/proc/sys/kernel/osrelease") ?? "unknown",
            HasBtf: File.Exists("/sys/kernel/btf/vmlinux"),
            HostUserNamespace: IsHostUserNamespace(Text("/proc/self/uid_map")),
            HoldsCapabilities: (Has(CapBpf) && Has(CapPerfmon)) || Has(CapSysAdmin),
            SeccompFiltered: Field(status, "Seccomp:") == "2",
            UnprivilegedBpfDisabled: int.TryParse(Text("/proc/sys/kernel/unprivileged_bpf_disabled"), CultureInfo.InvariantCulture, out var disabled) ? disabled : null,
            Lockdown: ActiveLockdown(Text("/sys/kernel/security/lockdown")),
            RingBuffers: Probe(MapTypeRingBuf),
            TaskStorage: Probe(MapTypeTaskStorage));
    }

    /// <summary>The host's user namespace maps every uid to itself: "0 0 4294967295".</summary>
    internal static bool IsHostUserNamespace(string? uidMap) =>
        uidMap is null || uidMap.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries) is ["0", "0", "4294967295"];

    /// <summary>The bracketed mode of /sys/kernel/security/lockdown ("none [integrity] confidentiality"), null for none.</summary>
    internal static string? ActiveLockdown(string? modes)
    {
        var start = modes?.IndexOf('[') ?? -1;
        var end = start < 0 ? -1 : modes!.IndexOf(']', start);
        var mode = end < 0 ? null : modes![(start + 1)..end];
        return mode is "none" ? null : mode;
    }

    private static bool? Probe(int mapType)
    {
        try
        {
            return LibBpf.ProbeMapType(mapType, 0) switch
            {
                1 => true,
                0 => false,
                _ => null,
            };
        }
        catch (DllNotFoundException)
        {
            return null;
        }
    }

    private static string? Field(string[] lines, string name) =>
        lines.FirstOrDefault(l => l.StartsWith(name, StringComparison.Ordinal))?[name.Length..].Trim();

    private static string[] Lines(string path) => Text(path)?.Split('\n') ?? [];

    private static string? Text(string path)
    {
        try
        {
            return File.ReadAllText(path).Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
