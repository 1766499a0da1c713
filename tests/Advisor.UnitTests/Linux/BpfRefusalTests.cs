using Advisor.Linux.Bpf;
using Advisor.Linux.Native;

namespace Advisor.UnitTests.Linux;

/// <summary>The line a refusal of the bpf backend gets names the cause the errno and the host's facts show, and its remedy.</summary>
public class BpfRefusalTests
{
    /// <summary>A host where the bpf backend could load: any refusal on it has another cause than the kernel.</summary>
    private static readonly BpfHost Capable = new(
        KernelRelease: "6.1.0-18-amd64",
        HasBtf: true,
        HostUserNamespace: true,
        HoldsCapabilities: true,
        SeccompFiltered: false,
        UnprivilegedBpfDisabled: 2,
        Lockdown: null,
        RingBuffers: true,
        TaskStorage: true);

    private static readonly BpfHost Unprivileged = Capable with { HoldsCapabilities = false, RingBuffers = null, TaskStorage = null };

    [Fact]
    public void Enoent_at_attach_names_the_program_and_its_hook_and_not_the_kernel_version()
    {
        var line = new BpfRefusal(BpfStep.Attach, LibC.Enoent, "process_exec", "tp_btf/sched_process_exec").Describe(Capable);

        line.ShouldContain("attach the bpf program process_exec to tp_btf/sched_process_exec");
        line.ShouldContain("tp_btf/sched_process_exec was not found on this host");
        line.ShouldEndWith("use --backend perf");
        line.ShouldNotContain("Linux");
        line.ShouldNotContain("6.1.0");
    }

    [Fact]
    public void Eperm_without_the_capabilities_names_them_and_rules_out_the_sysctl()
    {
        var line = new BpfRefusal(BpfStep.Load, LibC.Eperm).Describe(Unprivileged);

        line.ShouldStartWith("the kernel refused to load the bpf programs");
        line.ShouldContain("CAP_BPF and CAP_PERFMON, which this process lacks");
        line.ShouldContain("kernel.unprivileged_bpf_disabled=2 is not the cause");
        line.ShouldContain("setcap cap_bpf,cap_perfmon+ep");
        line.ShouldContain("--cap-add BPF --cap-add PERFMON");
        line.ShouldContain("--backend perf");
        line.ShouldNotContain("Linux 5.");
    }

    [Fact]
    public void Eperm_with_an_unreadable_sysctl_leaves_it_out()
    {
        var line = new BpfRefusal(BpfStep.Load, LibC.Eacces).Describe(Unprivileged with { UnprivilegedBpfDisabled = null });

        line.ShouldContain("which this process lacks;");
        line.ShouldNotContain("unprivileged_bpf_disabled");
    }

    [Fact]
    public void Eperm_in_a_user_namespace_says_the_capabilities_must_be_the_hosts()
    {
        var line = new BpfRefusal(BpfStep.Load, LibC.Eperm).Describe(Capable with { HostUserNamespace = false });

        line.ShouldContain("user namespace");
        line.ShouldContain("in the host's");
    }

    [Fact]
    public void Eperm_despite_the_capabilities_blames_the_seccomp_filter_when_there_is_one()
    {
        var filtered = new BpfRefusal(BpfStep.Load, LibC.Eperm).Describe(Capable with { SeccompFiltered = true });
        var unfiltered = new BpfRefusal(BpfStep.Load, LibC.Eperm).Describe(Capable);

        filtered.ShouldContain("although this process holds CAP_BPF and CAP_PERFMON: a seccomp filter");
        unfiltered.ShouldContain("a security module");
        unfiltered.ShouldNotContain("which this process lacks");
    }

    [Fact]
    public void Eperm_at_attach_names_the_program_too()
    {
        var line = new BpfRefusal(BpfStep.Attach, LibC.Eperm, "sys_enter", "tp_btf/sys_enter").Describe(Unprivileged);

        line.ShouldStartWith("the kernel refused to attach the bpf program sys_enter to tp_btf/sys_enter");
        line.ShouldContain("CAP_BPF");
    }

    [Fact]
    public void A_kernel_without_ring_buffers_is_named_with_its_version()
    {
        var line = new BpfRefusal(BpfStep.Load, LibC.Einval).Describe(Capable with { KernelRelease = "5.4.0-150-generic", RingBuffers = false, TaskStorage = false });

        line.ShouldContain("this kernel (5.4.0-150-generic) has no BPF ring buffers, which came in Linux 5.8");
    }

    [Fact]
    public void A_kernel_without_task_storage_is_named_with_its_version()
    {
        var line = new BpfRefusal(BpfStep.Load, LibC.Einval).Describe(Capable with { KernelRelease = "5.10.0-28-amd64", TaskStorage = false });

        line.ShouldContain("this kernel (5.10.0-28-amd64) has no BPF task storage, which came in Linux 5.11");
    }

    [Fact]
    public void A_kernel_without_btf_is_named_before_what_else_it_lacks()
    {
        var line = new BpfRefusal(BpfStep.Load, LibC.Esrch).Describe(Capable with { HasBtf = false, RingBuffers = false });

        line.ShouldContain("no BTF (/sys/kernel/btf/vmlinux)");
        line.ShouldContain("CONFIG_DEBUG_INFO_BTF");
        line.ShouldNotContain("ring buffers");
    }

    [Fact]
    public void Lockdown_in_confidentiality_mode_is_named_but_integrity_is_not_a_cause()
    {
        var confidential = new BpfRefusal(BpfStep.Load, LibC.Einval).Describe(Capable with { Lockdown = "confidentiality" });
        var integrity = new BpfRefusal(BpfStep.Load, LibC.Einval).Describe(Capable with { Lockdown = "integrity" });

        confidential.ShouldContain("kernel lockdown (confidentiality)");
        integrity.ShouldNotContain("lockdown");
    }

    [Fact]
    public void Esrch_at_load_on_a_capable_kernel_is_a_missing_tracepoint()
    {
        var line = new BpfRefusal(BpfStep.Load, LibC.Esrch).Describe(Capable);

        line.ShouldContain("a tracepoint the bpf programs attach to is missing from this kernel's BTF");
        line.ShouldNotContain("6.1.0");
    }

    [Fact]
    public void An_unexplained_load_failure_says_what_the_kernel_has_and_asks_for_a_report_without_blaming_its_version()
    {
        var explained = new BpfRefusal(BpfStep.Load, LibC.Einval).Describe(Capable);
        var unprobed = new BpfRefusal(BpfStep.Load, LibC.Einval).Describe(Capable with { RingBuffers = null });

        explained.ShouldContain("although it has BTF, ring buffers and task storage: please report it");
        unprobed.ShouldNotContain("although");
        explained.ShouldNotContain("Linux 5.");
        unprobed.ShouldNotContain("Linux 5.");
    }

    [Fact]
    public void An_object_libbpf_cannot_read_is_libbpfs_failure_not_the_kernels()
    {
        var line = new BpfRefusal(BpfStep.Open, LibC.Einval).Describe(Unprivileged);

        line.ShouldStartWith("libbpf could not read the tool's bpf object");
        line.ShouldNotContain("CAP_BPF");
    }

    [Theory]
    [InlineData("         0          0 4294967295", true)]
    [InlineData("0 1000 1\n1 100000 65536", false)]
    [InlineData("         0     100000      65536", false)]
    [InlineData(null, true)]
    public void The_host_user_namespace_maps_every_uid_to_itself(string? uidMap, bool host) =>
        BpfHost.IsHostUserNamespace(uidMap).ShouldBe(host);

    [Theory]
    [InlineData("[none] integrity confidentiality", null)]
    [InlineData("none [integrity] confidentiality", "integrity")]
    [InlineData("none integrity [confidentiality]", "confidentiality")]
    [InlineData(null, null)]
    public void The_lockdown_mode_in_force_is_the_bracketed_one(string? modes, string? mode) =>
        BpfHost.ActiveLockdown(modes).ShouldBe(mode);
}
