using System.Diagnostics;
using System.Globalization;

namespace Advisor.IntegrationTests.Support;

/// <summary>
/// A uid of this test run's own — no passwd entry, so no process of anyone else runs as it — and the programs the
/// test starts as it, through setpriv, in a directory it may write, each with a /proc of its own that shows only
/// that uid's processes (a private mount namespace, procfs with hidepid=invisible; the host's /proc is untouched).
/// A tool that works on every process it may see (<c>monitor --all</c>) then sees the processes the test started and
/// none of the host's other .NET processes (other test runs, other users) — even with CAP_DAC_READ_SEARCH, which
/// the bpf backend's exec hook may need for tracefs — and attaches to nothing else.
/// </summary>
internal static class LoneUser
{
    /// <summary>Far above any uid a system hands out, and different for test runs side by side (their pids differ).</summary>
    public static int Uid { get; } = 1_900_000_000 + Environment.ProcessId;

    /// <summary>Starts <paramref name="program"/> as the lone user, keeping <paramref name="capabilities"/> (ambient).</summary>
    /// <param name="dir">Its working directory and HOME, opened to every user.</param>
    public static Process Start(DirectoryInfo dir, string program, IEnumerable<string> arguments, params string[] capabilities)
    {
        Privileges.RequireUserSwitch();
        Privileges.RequireSysAdmin("a /proc of its own (mount in a private mount namespace)");
        Privileges.RequireTool("setpriv");
        Privileges.RequireTool("unshare");
        Nobody.Share(dir);
        var id = Uid.ToString(CultureInfo.InvariantCulture);
        string[] keep = capabilities.Length == 0 ? [] : [$"--inh-caps=+{string.Join(",+", capabilities)}", $"--ambient-caps=+{string.Join(",+", capabilities)}"];

        // unshare, sh and setpriv each exec the next: the pid is the program's.
        const string OwnProc = "mount -t proc -o hidepid=invisible proc /proc && exec setpriv \"$@\"";
        return ProcessRunner.Start(
            "unshare",
            ["--mount", "--propagation", "private", "sh", "-c", OwnProc, "sh", $"--reuid={id}", $"--regid={id}", "--clear-groups", .. keep, program, .. arguments],
            dir.FullName,
            new Dictionary<string, string> { ["HOME"] = dir.FullName, ["DOTNET_CLI_HOME"] = dir.FullName });
    }

    /// <summary>The capabilities the tool's default backend needs here.</summary>
    public static string[] TracingCapabilities => Privileges.CapabilitiesFor(HostBackend.Name);
}
