using System.Globalization;
using Advisor.Core.Hang;

namespace Advisor.Linux.Procfs;

/// <summary>
/// Reads what each thread of a process is doing from /proc/PID/task/TID: scheduler state, the syscall it
/// sits in with its arguments, the kernel function it sleeps in, its CPU and context-switch counters, and
/// when it last ran. Reading never stops or signals the target.
/// </summary>
public static class ThreadObserver
{
    /// <summary>USER_HZ: the unit of the CPU times in /proc/PID/task/TID/stat on every Linux architecture.</summary>
    private const long TicksPerSecond = 100;

    /// <summary>Whether any thread of the process is stopped (by a signal or a tracer).</summary>
    public static bool AnyStopped(int pid) => Observe(pid).Any(t => t.State is 'T' or 't');

    /// <summary>Every thread of the process that still exists while it is read.</summary>
    public static IReadOnlyList<ThreadObservation> Observe(int pid) =>
        ProcTasks.ThreadIds(pid).Select(tid => Read(pid, tid)).OfType<ThreadObservation>().ToList();

    /// <summary>
    /// Now, on the clock of <see cref="ThreadObservation.LastRanNs"/>: the scheduler's task clock, which
    /// leaves out interrupt and steal time and so drifts seconds behind CLOCK_MONOTONIC over days. Read as
    /// the calling thread's own last-ran time — it is running, so that is now, to a scheduler tick.
    /// </summary>
    public static long? SchedulerNowNs() => LastRanNs(Text("/proc/thread-self/sched"));

    /// <summary>
    /// Whether the syscall a thread is in can be read: /proc/PID/syscall needs ptrace access to the process
    /// (its user, root, or CAP_SYS_PTRACE), while the rest of /proc is open to all.
    /// </summary>
    public static bool CanReadSyscalls(int pid) => Text($"/proc/{pid}/syscall") is not null;

    /// <summary>One thread, or null when it exited meanwhile.</summary>
    public static ThreadObservation? Read(int pid, int tid)
    {
        var dir = $"/proc/{pid}/task/{tid}";
        if (Text($"{dir}/stat") is not { } stat)
        {
            return null;
        }

        // "tid (name) S ppid …": the name may hold spaces and parentheses, so fields follow the last ')'.
        var open = stat.IndexOf('(', StringComparison.Ordinal);
        var close = stat.LastIndexOf(')');
        if (open < 0 || close < open)
        {
            return null;
        }

        var name = stat[(open + 1)..close];
        var fields = stat[(close + 2)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length < 13)
        {
            return null;
        }

        // Fields 14 and 15 of stat (utime, stime) are at 11 and 12 counted from the state.
        var cpuMs = (Long(fields[11]) + Long(fields[12])) * 1000.0 / TicksPerSecond;
        var (syscall, args) = Syscall(Text($"{dir}/syscall"));
        var wchan = Text($"{dir}/wchan")?.Trim() is { } w && w != "0" ? w : "";
        return new ThreadObservation(tid, name, fields[0][0], syscall, args, wchan, cpuMs, ContextSwitches(Text($"{dir}/status")), LastRanNs(Text($"{dir}/sched")));
    }

    /// <summary>"202 0x7f… 0x80 0x0 0x0 0x0 0x0 0x7ffc… 0x7f…" → futex and its six arguments; "running" or "-1 …" → none.</summary>
    internal static (int? Number, IReadOnlyList<ulong> Args) Syscall(string? text)
    {
        var parts = text?.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries) ?? [];
        if (parts.Length < 7 || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            return (null, []);
        }

        var args = new ulong[6];
        for (var i = 0; i < 6; i++)
        {
            var hex = parts[i + 1];
            args[i] = ulong.TryParse(hex.StartsWith("0x", StringComparison.Ordinal) ? hex[2..] : hex, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var value) ? value : 0;
        }

        return (number, args);
    }

    private static long ContextSwitches(string? status)
    {
        long total = 0;
        foreach (var line in (status ?? "").Split('\n'))
        {
            if (line.StartsWith("voluntary_ctxt_switches:", StringComparison.Ordinal) || line.StartsWith("nonvoluntary_ctxt_switches:", StringComparison.Ordinal))
            {
                total += Long(line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim());
            }
        }

        return total;
    }

    /// <summary>
    /// "se.exec_start : 14925784.026286" (ms of the scheduler's task clock, see <see cref="SchedulerNowNs"/>):
    /// when the thread last ran. Absent on kernels built without scheduler debugging.
    /// </summary>
    internal static long? LastRanNs(string? sched)
    {
        foreach (var line in (sched ?? "").Split('\n'))
        {
            if (line.StartsWith("se.exec_start", StringComparison.Ordinal)
                && double.TryParse(line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var ms))
            {
                return (long)(ms * 1e6);
            }
        }

        return null;
    }

    private static long Long(string text) => long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : 0;

    private static string? Text(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
