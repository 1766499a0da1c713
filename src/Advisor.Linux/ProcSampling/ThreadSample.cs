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
    public static bool TryParseIo(string io, out long reads, out long writes, out long readBytes, out long writtenBytes)
    {
        reads = writes = readBytes = writtenBytes = -1;
        foreach (var line in io.AsSpan().EnumerateLines())
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
    public static long SystemTimeNs(string stat)
    {
        var close = stat.LastIndexOf(')');
        if (close < 0)
        {
            return 0;
        }

        // After ")": state(3) ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime(14) stime(15).
        var fields = stat[(close + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return fields.Length > 12 && long.TryParse(fields[12], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks) ? ticks * NsPerTick : 0;
    }

    /// <summary>
    /// The syscall file: "running", "-1 SP PC" (in user space), or "NR A0 A1 A2 A3 A4 A5 SP PC" with hex
    /// values (blocked in syscall NR).
    /// </summary>
    public static BlockedCall? ParseSyscall(string text)
    {
        var fields = text.Trim().Split(' ');
        if (fields.Length < 9 || !int.TryParse(fields[0], NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            return null;
        }

        static ulong Hex(string s) => ulong.TryParse(s.AsSpan(s.StartsWith("0x", StringComparison.Ordinal) ? 2 : 0), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var v) ? v : 0;
        return new BlockedCall(number, Hex(fields[1]), Hex(fields[2]), Hex(fields[3]));
    }
}

/// <summary>A syscall a thread was seen inside, with the arguments that tell one call from the next.</summary>
internal readonly record struct BlockedCall(int Number, ulong Arg0, ulong Arg1, ulong Arg2);
