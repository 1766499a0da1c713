using System.Globalization;

namespace Advisor.IntegrationTests.Support;

/// <summary>
/// What a test needs the kernel to allow, asked as capabilities (CapEff of /proc/self/status) rather than uid 0,
/// so a runner granted only CAP_BPF and CAP_PERFMON runs the bpf tests. Without them a test is skipped — except in
/// CI, where it fails (<see cref="Prerequisite"/>), so it can never silently not run.
/// </summary>
internal static class Privileges
{
    private const int CapSetgid = 6;
    private const int CapSetuid = 7;
    private const int CapSysPtrace = 19;
    private const int CapSysAdmin = 21;
    private const int CapPerfmon = 38;
    private const int CapBpf = 39;

    /// <summary>A tracepoint's id file, which perf_event_open needs read: tracefs is root's unless mounted otherwise.</summary>
    private const string TracepointId = "/sys/kernel/tracing/events/raw_syscalls/sys_enter/id";

    /// <summary>
    /// Whether a program of the bpf object is a classic tracepoint, which libbpf attaches through tracefs (its id
    /// file): then the bpf backend needs tracefs readable too. Read from the program's source, so the gate follows
    /// the object when its hooks change.
    /// </summary>
    public static bool BpfNeedsTracefs { get; } =
        File.ReadAllText(Path.Combine(RepoLayout.Root, "src", "Advisor.Linux", "Bpf", "Program", "syscalls.bpf.c")).Contains("SEC(\"tracepoint/", StringComparison.Ordinal);

    /// <summary>The tool's default backend can record: bpf's rights, or perf's.</summary>
    public static void RequireTracing() =>
        Prerequisite.Require(CanUse("bpf") || CanUse("perf"), "tracing needs CAP_BPF + CAP_PERFMON (bpf) or CAP_PERFMON and a readable tracefs (perf)");

    /// <summary>The named backend (bpf, perf, ptrace, proc) can record a process of this user.</summary>
    public static void RequireBackend(string backend) =>
        Prerequisite.Require(CanUse(backend), backend switch
        {
            "bpf" => BpfNeedsTracefs
                ? $"the bpf backend needs CAP_BPF and CAP_PERFMON (or CAP_SYS_ADMIN), and tracefs readable for its exec hook ({TracepointId})"
                : "the bpf backend needs CAP_BPF and CAP_PERFMON (or CAP_SYS_ADMIN)",
            "perf" => $"the perf backend needs CAP_PERFMON (or CAP_SYS_ADMIN) and {TracepointId} readable",
            _ => $"the {backend} backend needs ptrace access to another process of this user (CAP_SYS_PTRACE, or no Yama restriction)",
        });

    /// <summary>
    /// ptrace access to a process this test started, which is not the tool's child: hang's runtime pause (ClrMD), the
    /// ptrace and proc backends, /proc/PID/task/*/syscall.
    /// </summary>
    public static void RequirePtraceAccess() =>
        Prerequisite.Require(CanUse("ptrace"), "ptrace access to another process of this user needs CAP_SYS_PTRACE, or no Yama restriction");

    /// <summary>Running a program as another user (setpriv --reuid): the tests of what nobody may do.</summary>
    public static void RequireUserSwitch() =>
        Prerequisite.Require(Has(CapSetuid) && Has(CapSetgid), "running a program as nobody needs CAP_SETUID and CAP_SETGID");

    /// <summary>CAP_SYS_ADMIN, for what only an administrator may do (mount a /proc of one's own).</summary>
    public static void RequireSysAdmin(string why) => Prerequisite.Require(Has(CapSysAdmin), $"{why} needs CAP_SYS_ADMIN");

    public static bool CanUse(string backend) => backend switch
    {
        "bpf" => ((Has(CapBpf) && Has(CapPerfmon)) || Has(CapSysAdmin)) && (!BpfNeedsTracefs || Readable(TracepointId)),
        "perf" => (Has(CapPerfmon) || Has(CapSysAdmin)) && Readable(TracepointId),
        _ => Has(CapSysPtrace) || YamaScope() <= 0,
    };

    /// <summary>The capabilities (setpriv's names) a user other than root needs for the backend: what to grant one.</summary>
    public static string[] CapabilitiesFor(string backend) => backend switch
    {
        "bpf" => BpfNeedsTracefs ? ["bpf", "perfmon", "dac_read_search"] : ["bpf", "perfmon"],
        "perf" => ["perfmon", "dac_read_search"],
        _ => ["sys_ptrace"],
    };

    public static void RequireTool(string name) =>
        RequireInstalled($"'{name}'", (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Any(d => File.Exists(Path.Combine(d, name))));

    /// <summary>Skips the test when something it needs is not installed (a tool, a server); in CI, fails it.</summary>
    /// <param name="what">What is missing, as the skip reason names it.</param>
    public static void RequireInstalled(string what, bool installed) => Prerequisite.Require(installed, $"{what} is not installed");

    /// <summary>Whether this process runs as root (uid 0): PostgreSQL then runs as its own user.</summary>
    public static bool IsRoot => StatusField("Uid:").Split('\t', StringSplitOptions.RemoveEmptyEntries)[1] == "0";

    /// <summary>Whether the capability is in this process's effective set.</summary>
    private static bool Has(int capability) => ((ulong.Parse(StatusField("CapEff:"), NumberStyles.HexNumber, CultureInfo.InvariantCulture) >> capability) & 1) == 1;

    private static string StatusField(string name) =>
        File.ReadLines("/proc/self/status").First(l => l.StartsWith(name, StringComparison.Ordinal))[name.Length..].Trim();

    /// <summary>kernel.yama.ptrace_scope; 0 where Yama is not built in (no restriction beyond the same user).</summary>
    private static int YamaScope() =>
        File.Exists("/proc/sys/kernel/yama/ptrace_scope") ? int.Parse(File.ReadAllText("/proc/sys/kernel/yama/ptrace_scope").Trim(), CultureInfo.InvariantCulture) : 0;

    private static bool Readable(string path)
    {
        try
        {
            using var file = File.OpenRead(path);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
