using System.Runtime.InteropServices;

namespace Advisor.IntegrationTests.Support;

/// <summary>
/// The backend the tool's <c>auto</c> picks on this host, found once by a tiny probe (<c>run -- true</c>): bpf where
/// the kernel and the rights allow it, perf elsewhere (arm64 without BTF, no libbpf). Tests that check the default
/// backend assert this one and say which. Where bpf should work — BTF, libbpf and CAP_BPF + CAP_PERFMON all
/// here — auto passing it over is the tool's failure, not the host's, and fails every test that asks.
/// </summary>
internal static class HostBackend
{
    private static readonly Lazy<(string Name, string Why)> Probe = new(Run);

    /// <summary>"bpf" or "perf" (or what else auto fell back to).</summary>
    public static string Name => Probe.Value.Name;

    /// <summary>One line for the test output: the backend and why (what made bpf unusable, when it was).</summary>
    public static string Description => $"host backend: {Probe.Value.Name} ({Probe.Value.Why})";

    /// <summary>Whether this host has what the bpf backend needs: a kernel with BTF, libbpf, and the rights.</summary>
    public static bool ShouldHaveBpf =>
        File.Exists("/sys/kernel/btf/vmlinux") && NativeLibrary.TryLoad("libbpf.so.1", out _) && Privileges.CanUse("bpf");

    private static (string Name, string Why) Run()
    {
        Privileges.RequireTracing();
        var probe = ProcessRunner.Run(RepoLayout.Tool, ["run", "--format", "json", "--", "true"], TimeSpan.FromMinutes(2));
        if (probe.ExitCode != 0)
        {
            throw new InvalidOperationException($"the backend probe `dotnet-advisor run -- true` failed (exit {probe.ExitCode}):\n{probe.Stderr}");
        }

        var session = ReportJson.Parse(probe.Stdout).Root.GetProperty("session");
        var name = session.GetProperty("backend").GetString()!;
        var passedOver = session.GetProperty("notes").EnumerateArray().Select(n => n.GetString()!)
            .Where(n => n.Contains("backend could not be used", StringComparison.Ordinal)).ToList();
        if (name != "bpf" && ShouldHaveBpf)
        {
            throw new InvalidOperationException($"auto chose {name} on a host with BTF, libbpf and CAP_BPF + CAP_PERFMON: {string.Join("; ", passedOver)}");
        }

        return (name, passedOver.Count == 0 ? "auto's first choice" : string.Join("; ", passedOver));
    }
}
