using System.Globalization;

namespace Advisor.Linux.ProcSampling;

/// <summary>
/// One thread's counters at one instant, from /proc/PID/task/TID/{io,stat,syscall}: read and write calls and
/// bytes (exact: the kernel counts every one), system CPU time, and the syscall it is blocked in, if any.
/// </summary>
/// <param name="SystemNs">CPU time spent in the kernel (stat's stime, at clock-tick resolution).</param>
/// <param name="Blocked">The syscall the thread is inside while not running (number and first three
/// arguments); null when it is running or in user space, or when /proc would not tell.</param>
internal readonly record struct ThreadSample(long Reads, long Writes, long ReadBytes, long WrittenBytes, long SystemNs, BlockedCall? Blocked)
{
    // USER_HZ: what /proc reports CPU times in, 100 on every Linux ABI this tool runs on.
    private const long NsPerTick = 10_000_000;

    /// <summary>Parses the io file ("rchar: 1\nwchar: 2\nsyscr: 3\nsyscw: 4\n…"); false when it is missing fields.</summary>
    public static bool TryParseIo(ReadOnlySpan<char> io, out long reads, out long writes, out long readBytes, out long writtenBytes)
    {
        reads = writes = readBytes = writtenBytes = -1;
        foreach (var line in io.EnumerateLines())
        {
            var colon = line.IndexOf(':');
            if (colon < 0 || !long.TryParse(line[(colon + 1)..].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var value))
            {
                continue;
            }

            switch (line[..colon])
            {
                case "rchar": readBytes = value; break;
                case "wchar": writtenBytes = value; break;
                case "syscr": reads = value; break;
                case "syscw": writes = value; break;
            }
        }

        return reads >= 0 && writes >= 0 && readBytes >= 0 && writtenBytes >= 0;
    }

    /// <summary>stime from a stat line, in ns: field 15, counted after the ")" that ends the name (names may hold spaces).</summary>
    public static long SystemTimeNs(ReadOnlySpan<char> stat)
    {
        var close = stat.LastIndexOf(')');
        if (close < 0)
        {
            return 0;
        }

        // After ")": state(3) ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime(14) stime(15).
        var fields = new Fields(stat[(close + 1)..]);
        for (var i = 0; i < 12 && fields.Next(out _); i++)
        {
        }

        return fields.Next(out var stime) && long.TryParse(stime, NumberStyles.None, CultureInfo.InvariantCulture, out var ticks) ? ticks * NsPerTick : 0;
    }

    /// <summary>
    /// The syscall file: "running", "-1 SP PC" (in user space), or "NR A0 A1 A2 A3 A4 A5 SP PC" with hex
    /// values (blocked in syscall NR).
    /// </summary>
    public static BlockedCall? ParseSyscall(ReadOnlySpan<char> text)
    {
        var fields = new Fields(text);
        if (!fields.Next(out var nr) || !int.TryParse(nr, NumberStyles.None, CultureInfo.InvariantCulture, out var number)
            || !fields.Next(out var a0) || !fields.Next(out var a1) || !fields.Next(out var a2))
        {
            return null;
        }

        // Six arguments, the stack pointer and the program counter: a shorter line is not a blocked call.
        for (var i = 4; i < 9; i++)
        {
            if (!fields.Next(out _))
            {
                return null;
            }
        }

        return new BlockedCall(number, Hex(a0), Hex(a1), Hex(a2));
    }

    private static ulong Hex(ReadOnlySpan<char> s) =>
        ulong.TryParse(s.StartsWith("0x", StringComparison.Ordinal) ? s[2..] : s, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var v) ? v : 0;

    /// <summary>Space-separated fields of a line, without allocating.</summary>
    private ref struct Fields(ReadOnlySpan<char> text)
    {
        private ReadOnlySpan<char> _rest = text;

        public bool Next(out ReadOnlySpan<char> field)
        {
            _rest = _rest.TrimStart(" \n");
            if (_rest.IsEmpty)
            {
                field = default;
                return false;
            }

            var end = _rest.IndexOfAny(' ', '\n');
            field = end < 0 ? _rest : _rest[..end];
            _rest = end < 0 ? default : _rest[end..];
            return true;
        }
    }
}

/// <summary>A syscall a thread was seen inside, with the arguments that tell one call from the next.</summary>
internal readonly record struct BlockedCall(int Number, ulong Arg0, ulong Arg1, ulong Arg2);
