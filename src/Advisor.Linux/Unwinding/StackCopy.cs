using System.Globalization;

namespace Advisor.Linux.Unwinding;

/// <summary>
/// How much of the user stack a sampled call copies for <see cref="StackUnwinder"/>: enough for the native frames
/// between the system call and the managed code above them, and the managed frames that name the caller.
/// </summary>
public static class StackCopy
{
    /// <summary>The bytes copied per sampled stack (see bench/RESULTS.md, "native unwinding", for how it was sized).</summary>
    public const int DefaultBytes = 8192;

    /// <summary>The largest copy the backends take: the bpf record's room, and within perf's 16-bit sample size.</summary>
    public const int MaxBytes = 16384;

    /// <summary>
    /// A hidden switch for measuring: <c>ADVISOR_STACK_COPY=BYTES</c> (0 turns the copy, and native unwinding, off).
    /// </summary>
    public const string Variable = "ADVISOR_STACK_COPY";

    /// <summary>The size asked by <see cref="Variable"/>, rounded down to 8 bytes, else <see cref="DefaultBytes"/>.</summary>
    public static int Bytes =>
        int.TryParse(Environment.GetEnvironmentVariable(Variable), NumberStyles.None, CultureInfo.InvariantCulture, out var bytes)
            ? Math.Min(bytes, MaxBytes) & ~7
            : DefaultBytes;
}
