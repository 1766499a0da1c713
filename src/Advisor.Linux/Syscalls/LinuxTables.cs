using System.Runtime.InteropServices;
using Advisor.Core.Syscalls;

namespace Advisor.Linux.Syscalls;

/// <summary>
/// The syscall and errno tables of the architectures dotnet-advisor can record on. The tables are
/// generated from kernel headers by eng/generate-syscall-tables.py; this class only picks one.
/// </summary>
public static class LinuxTables
{
    private const string X86_64 = "x86_64";
    private const string Aarch64 = "aarch64";

    // Lazy so a process only builds the lookup arrays of the architecture it actually reads.
    private static readonly Lazy<SyscallTable> X86_64Table = new(() => new SyscallTable(X86_64, X86_64Syscalls.Names));
    private static readonly Lazy<SyscallTable> Aarch64Table = new(() => new SyscallTable(Aarch64, Arm64Syscalls.Names));

    // x86_64 and arm64 both take their errno values from asm-generic, so one table serves both.
    private static readonly Lazy<ErrnoTable> GenericErrno = new(() => new ErrnoTable(Errnos.Names));

    /// <summary>
    /// The syscall table of <paramref name="architecture"/>: x86_64/amd64/x64 or aarch64/arm64, in any case.
    /// Its <see cref="SyscallTable.Architecture"/> is the uname -m spelling (x86_64, aarch64).
    /// </summary>
    /// <exception cref="PlatformNotSupportedException">Any other architecture.</exception>
    public static SyscallTable ForArchitecture(string architecture) =>
        Canonical(architecture) == X86_64 ? X86_64Table.Value : Aarch64Table.Value;

    /// <summary>The syscall table of the machine this process runs on.</summary>
    /// <exception cref="PlatformNotSupportedException">Neither x86_64 nor arm64.</exception>
    public static SyscallTable Current => ForArchitecture(CurrentArchitecture());

    /// <summary>The errno table of <paramref name="architecture"/> (same names as <see cref="ForArchitecture"/>).</summary>
    /// <exception cref="PlatformNotSupportedException">Any other architecture.</exception>
    public static ErrnoTable Errno(string architecture)
    {
        // Validated even though the table is shared, so an unsupported architecture fails here the
        // same way it does for syscalls rather than silently getting asm-generic values (mips, alpha,
        // sparc and parisc number errno differently).
        _ = Canonical(architecture);
        return GenericErrno.Value;
    }

    /// <summary>The errno table of the machine this process runs on.</summary>
    /// <exception cref="PlatformNotSupportedException">Neither x86_64 nor arm64.</exception>
    public static ErrnoTable CurrentErrno => Errno(CurrentArchitecture());

    /// <summary>
    /// The number of perf_event_open on <paramref name="architecture"/>: glibc has no wrapper for it, so it
    /// is called through syscall(2) with this number.
    /// </summary>
    /// <exception cref="PlatformNotSupportedException">Any other architecture.</exception>
    public static int PerfEventOpenNumber(string architecture) =>
        Canonical(architecture) == X86_64 ? 298 : 241;

    /// <summary>The running machine's syscall numbering: "x86_64" or "arm64".</summary>
    public static string CurrentArchitecture() => RuntimeInformation.OSArchitecture switch
    {
        Architecture.X64 => X86_64,
        Architecture.Arm64 => Aarch64,
        var other => throw Unsupported(other.ToString()),
    };

    private static string Canonical(string architecture)
    {
        ArgumentNullException.ThrowIfNull(architecture);
        return architecture.ToUpperInvariant() switch
        {
            "X86_64" or "AMD64" or "X64" => X86_64,
            "AARCH64" or "ARM64" => Aarch64,
            _ => throw Unsupported(architecture),
        };
    }

    private static PlatformNotSupportedException Unsupported(string architecture) =>
        new($"Architecture '{architecture}' is not supported: dotnet-advisor has syscall tables for x86_64 and aarch64 only.");
}
