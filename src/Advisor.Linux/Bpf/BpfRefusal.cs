using Advisor.Linux.Native;

namespace Advisor.Linux.Bpf;

/// <summary>
/// A refusal of the bpf backend: the step, the errno, and for an attach the program and its hook (its section, e.g.
/// tp_btf/sys_enter). <see cref="Describe"/> turns it into the one line <c>auto</c> notes before taking the perf
/// backend, or that stops the tool when bpf was asked for: the cause the errno and the host's facts show, and its
/// remedy. A guessed cause sends the user after the wrong fix: when tracefs was not mounted, the old line blamed the
/// kernel's version.
/// </summary>
internal sealed record BpfRefusal(BpfStep Step, int Errno, string? Program = null, string? Hook = null)
{
    private const string Fallback = "use --backend perf";
    private const string Grant = "run as root, or grant them (setcap cap_bpf,cap_perfmon+ep; in a container --cap-add BPF --cap-add PERFMON)";

    public string Describe(BpfHost host)
    {
        var error = LibC.LastErrorMessage(Errno);
        if (Errno is LibC.Eperm or LibC.Eacces && Step != BpfStep.Open)
        {
            return Denied(host, $"the kernel refused to {Act} ({error})");
        }

        return Step switch
        {
            BpfStep.Open => $"libbpf could not read the tool's bpf object ({error}): {Fallback}",
            BpfStep.Attach => Errno == LibC.Enoent
                ? $"the kernel could not {Act} ({error}): {Hook} was not found on this host; {Fallback}"
                : $"the kernel could not {Act} ({error}): {Fallback}",
            _ => LoadFailure(host, error),
        };
    }

    /// <summary>What the kernel was asked to do (libbpf alone reads the object).</summary>
    private string Act => Step == BpfStep.Load ? "load the bpf programs" : $"attach the bpf program {Program} to {Hook}";

    /// <summary>
    /// EPERM and EACCES: which rights are missing, or — when the process holds them — what else forbids bpf().
    /// kernel.unprivileged_bpf_disabled is named only to rule it out: no setting of it lets a user without the
    /// capabilities load tracing programs.
    /// </summary>
    private static string Denied(BpfHost host, string refused)
    {
        if (!host.HostUserNamespace)
        {
            return $"{refused}: this process's capabilities are a user namespace's (a rootless container), and bpf needs "
                + $"CAP_BPF and CAP_PERFMON in the host's; run the tool as root on the host or in a container given --cap-add BPF --cap-add PERFMON, or {Fallback}";
        }

        if (!host.HoldsCapabilities)
        {
            var sysctl = host.UnprivilegedBpfDisabled is { } disabled
                ? $" (kernel.unprivileged_bpf_disabled={disabled} is not the cause: no setting of it opens tracing programs to other users)"
                : "";
            return $"{refused}: the bpf programs need CAP_BPF and CAP_PERFMON, which this process lacks{sysctl}; {Grant}, or {Fallback}";
        }

        return host.SeccompFiltered
            ? $"{refused} although this process holds CAP_BPF and CAP_PERFMON: a seccomp filter on it forbids bpf() (a container's default profile, a service's SystemCallFilter); allow bpf there, or {Fallback}"
            : $"{refused} although this process holds CAP_BPF and CAP_PERFMON and no seccomp filter: a security module (SELinux, AppArmor) forbids it; {Fallback}";
    }

    /// <summary>
    /// The maps or programs refused for another reason than rights: what this kernel lacks, as the probes found it. The
    /// kernel's version is named only with a feature it lacks, for it says nothing otherwise.
    /// </summary>
    private string LoadFailure(BpfHost host, string error)
    {
        if (!host.HasBtf)
        {
            return $"this kernel has no BTF (/sys/kernel/btf/vmlinux), which the bpf programs find their hooks and fields by ({error}): "
                + $"it needs a kernel built with CONFIG_DEBUG_INFO_BTF; {Fallback}";
        }

        if (host.RingBuffers == false)
        {
            return $"this kernel ({host.KernelRelease}) has no BPF ring buffers, which came in Linux 5.8 ({error}): {Fallback}";
        }

        if (host.TaskStorage == false)
        {
            return $"this kernel ({host.KernelRelease}) has no BPF task storage, which came in Linux 5.11 and keeps each call between its enter and exit ({error}): {Fallback}";
        }

        if (host.Lockdown == "confidentiality")
        {
            return $"kernel lockdown (confidentiality) keeps bpf programs from reading kernel memory, which these do ({error}): {Fallback}";
        }

        if (Errno == LibC.Esrch)
        {
            return $"a tracepoint the bpf programs attach to is missing from this kernel's BTF ({error}): {Fallback}";
        }

        return host is { RingBuffers: true, TaskStorage: true }
            ? $"the kernel rejected the bpf programs at load ({error}) although it has BTF, ring buffers and task storage: please report it; {Fallback}"
            : $"the kernel rejected the bpf programs at load ({error}): {Fallback}";
    }
}
