namespace Advisor.IntegrationTests.Support;

/// <summary>
/// Runs the tool as on a freshly booted host or in a container: in a mount namespace of its own without tracefs, nor
/// debugfs, whose tracing folder mounts tracefs when it is looked at. The host's mounts stay as they are: unshare
/// gives the shell a private copy of them, and no unmount in it propagates back.
/// </summary>
internal static class WithoutTracefs
{
    private const int StillMounted = 97;
    private const int MountedMeanwhile = 98;

    /// <summary>
    /// The shell in the namespace, the tool and its arguments being "$@". tracefs is looked for again after the tool:
    /// the perf backend mounts it when it is missing, and a bpf backend that worked only after something of the tool
    /// had mounted it would not work on a host where that cannot happen (a container without CAP_SYS_ADMIN).
    /// </summary>
    private static readonly string Script = $$"""
        umount /sys/kernel/tracing 2>/dev/null; umount /sys/kernel/debug/tracing 2>/dev/null; umount /sys/kernel/debug 2>/dev/null
        tracefs() { grep -qw tracefs /proc/self/mounts || [ -e /sys/kernel/tracing/events ] || [ -e /sys/kernel/debug/tracing/events ]; }
        if tracefs; then exit {{StillMounted}}; fi
        "$@"; status=$?
        if tracefs; then exit {{MountedMeanwhile}}; fi
        exit $status
        """;

    /// <summary>The tool to completion in a mount namespace without tracefs.</summary>
    /// <exception cref="InvalidOperationException">tracefs could not be removed from the namespace, or the tool mounted it.</exception>
    public static ProcessResult Advisor(IEnumerable<string> arguments, string workingDirectory)
    {
        Privileges.RequireTracing(); // root, for the namespace and the unmounts
        Privileges.RequireTool("unshare");
        var hostMounts = TracefsMounts();

        var result = ProcessRunner.Run(
            "unshare", ["--mount", "--propagation", "private", "sh", "-c", Script, "sh", RepoLayout.Tool, .. arguments], workingDirectory: workingDirectory);

        TracefsMounts().ShouldBe(hostMounts, "the host's tracefs and debugfs mounts changed");
        return result.ExitCode switch
        {
            StillMounted => throw new InvalidOperationException(
                "precondition failed: tracefs is still reachable in the test's mount namespace after unmounting it, so this test cannot show that bpf does without it"),
            MountedMeanwhile => throw new InvalidOperationException($"tracefs was mounted in the namespace while the tool ran:\n{result.Stdout}\n{result.Stderr}"),
            _ => result,
        };
    }

    private static string[] TracefsMounts() =>
        [.. File.ReadLines("/proc/self/mounts").Where(l => l.Split(' ') is [_, _, "tracefs" or "debugfs", ..])];
}
