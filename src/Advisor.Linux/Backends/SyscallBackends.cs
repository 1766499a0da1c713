using Advisor.Core.Events;
using Advisor.Core.Failures;
using Advisor.Core.Sources;
using Advisor.Core.Stacks;
using Advisor.Linux.Bpf;
using Advisor.Linux.Perf;
using Advisor.Linux.ProcSampling;
using Advisor.Linux.Ptrace;
using Advisor.Linux.Unwinding;

namespace Advisor.Linux.Backends;

/// <summary>
/// Picks the syscall source: the one asked for, or with auto the best that works here — bpf (every call, paired
/// in the kernel: the cheapest), then perf (every call), then ptrace (every call, slow), then /proc sampling
/// (statistical, needs no rights) — saying which and why the better ones were passed over.
/// </summary>
public static class SyscallBackends
{
    /// <summary>The choices of --backend, best first after auto, with what each gives (the option's help).</summary>
    public static IReadOnlyList<(string Name, string Gives)> Choices { get; } =
    [
        ("auto", "the best that works: bpf, then perf, ptrace, proc"),
        ("bpf", "every call, paired in the kernel: cheapest"),
        ("perf", "every call"),
        ("ptrace", "every call, slow; profile only"),
        ("proc", "/proc sampling: needs no rights, statistical"),
    ];

    /// <summary>The names of <see cref="Choices"/>.</summary>
    public static IReadOnlyList<string> Names { get; } = [.. Choices.Select(c => c.Name)];

    // A launched command is the tool's own child, whose status the .NET runtime's child reaping collects with
    // waitpid(pid): that call would also take the ptrace stops meant for the tracer, and leave the command stopped.
    private const string NoLaunchUnderPtrace =
        "the ptrace backend traces running processes only (profile -p PID): a command the tool launches is its child, "
        + "whose stops the runtime's child reaping would take; use --backend perf or proc with run";

    /// <summary>Attaches to a running process.</summary>
    /// <exception cref="AdvisorException">The asked backend cannot work here (exit 4, with the remedy), or no backend can.</exception>
    public static (ISyscallSource Source, IReadOnlyList<string> Notes) Attach(int pid, ISyscallSink sink, BackendRequest request) =>
        Choose(request, name => name switch
        {
            "bpf" => BpfSyscallSource.Attach(pid, sink, Bpf(request)),
            "perf" => PerfSyscallSource.Attach(pid, sink, Perf(request)),
            "ptrace" => PtraceSyscallSource.Attach(pid, sink, new PtraceOptions(request.Stacks, StackCopyBytes: StackCopy.Bytes)),
            _ => ProcSyscallSource.Attach(pid, sink, new ProcOptions(request.SampleRateHz)),
        });

    /// <summary>Arms a process stopped just before its execve, so the new program is seen from its first call.</summary>
    public static (ISyscallSource Source, IReadOnlyList<string> Notes) AttachBeforeExec(int pid, ISyscallSink sink, BackendRequest request) =>
        Choose(request, name => name switch
        {
            "bpf" => BpfSyscallSource.AttachBeforeExec(pid, sink, Bpf(request)),
            "perf" => PerfSyscallSource.AttachBeforeExec(pid, sink, Perf(request)),
            "ptrace" => throw new AdvisorException(request.Name == "ptrace" ? FailureKind.Usage : FailureKind.Privilege, NoLaunchUnderPtrace),
            // Sampling reads counters, which the exec keeps: started now, it sees the command from its start.
            _ => ProcSyscallSource.Attach(pid, sink, new ProcOptions(request.SampleRateHz)),
        });

    private static BpfOptions Bpf(BackendRequest request) =>
        new(request.Stacks, request.StackMode, StackCopyBytes: RingStackCopy(request), RingBytes: request.RingBytes ?? BpfOptions.DefaultRingBytes);

    private static PerfOptions Perf(BackendRequest request) =>
        new(BufferPagesPerCpu: PerfPagesPerCpu(request), Stacks: request.Stacks, StackMode: request.StackMode, StackCopyBytes: RingStackCopy(request));

    /// <summary>The asked ring memory shared among the CPUs' rings, as a power of two of pages, no fewer than 64.</summary>
    private static int PerfPagesPerCpu(BackendRequest request)
    {
        if (request.RingBytes is not { } bytes)
        {
            return PerfOptions.Default.BufferPagesPerCpu;
        }

        var pages = Math.Max(1, bytes / (ulong)OnlineCpus.Read().Count / (ulong)Environment.SystemPageSize);
        return (int)Math.Clamp(1UL << (int)ulong.Log2(pages), 64, (ulong)PerfOptions.Default.BufferPagesPerCpu);
    }

    /// <summary>
    /// The user stack copied with each walked stack, for native unwinding, by the backends that write stacks into
    /// rings. Not with every call's stack (<c>--stacks all</c>): 8 KiB a call overran perf's rings on the storm
    /// (18–31k calls lost of 200k) and left most of bpf's calls without their stack, where <c>all</c> is asked for
    /// exact call-site counts.
    /// </summary>
    private static int RingStackCopy(BackendRequest request) => request.StackMode == StackMode.All ? 0 : StackCopy.Bytes;

    private static (ISyscallSource Source, IReadOnlyList<string> Notes) Choose(BackendRequest request, Func<string, ISyscallSource> open)
    {
        if (request.Name != "auto")
        {
            return (open(request.Name), []);
        }

        var notes = new List<string>();
        foreach (var name in Names.Skip(1))
        {
            try
            {
                var source = open(name);
                if (notes.Count > 0)
                {
                    notes.Add($"using the {name} backend instead");
                }

                return (source, notes);
            }
            catch (AdvisorException e) when (e.Kind == FailureKind.Privilege && name != Names[^1])
            {
                // Said once in the report: which backend could not work, and why.
                notes.Add($"the {name} backend could not be used: {e.Message}");
            }
        }

        throw new InvalidOperationException("unreachable: the last backend either works or throws");
    }
}
