using Advisor.Core.Syscalls;

namespace Advisor.Linux.Strace;

/// <summary>A call's result as the kernel returned it, from strace's rendering of it.</summary>
public static class StraceResult
{
    /// <summary>
    /// The raw return value: "3" → 3, "0x7f…" → the address, "-1 ENOENT (…)" → -2, "? ERESTARTSYS (…)" → -512
    /// (what the kernel's exit tracepoint sees for an interrupted call). False for a bare "?": a call that never
    /// returned (exit, exit_group, a thread killed inside it).
    /// </summary>
    public static bool TryParse(string result, ErrnoTable errnos, out long value)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(errnos);
        value = 0;
        var parts = result.Split(' ', 3, StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0)
        {
            return false;
        }

        var errno = parts.Length > 1 && parts[1].StartsWith('E') ? Errno(parts[1], errnos) : null;
        if (parts[0] == "?")
        {
            value = errno is { } interrupted ? -interrupted : 0;
            return errno is not null;
        }

        if (!char.IsAsciiDigit(parts[0][0]) && parts[0][0] != '-')
        {
            return false;
        }

        value = parts[0] == "-1" && errno is { } e ? -e : unchecked((long)StraceArguments.Number(parts[0]));
        return true;
    }

    // The kernel-internal restart codes strace names but no libc header does.
    private static int? Errno(string name, ErrnoTable errnos) => name switch
    {
        "ERESTARTSYS" => 512,
        "ERESTARTNOINTR" => 513,
        "ERESTARTNOHAND" => 514,
        "ERESTART_RESTARTBLOCK" => 516,
        _ => errnos.TryGetNumber(name, out var n) ? n : null,
    };
}
