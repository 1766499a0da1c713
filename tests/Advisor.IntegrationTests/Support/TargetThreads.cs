using System.Diagnostics;
using System.Globalization;
using Advisor.Linux.Syscalls;

namespace Advisor.IntegrationTests.Support;

/// <summary>
/// A target's threads as /proc shows them, for the tests that check it was left running (no thread stopped,
/// none traced) or wait for a moment in its life (traced from the start, writing).
/// </summary>
internal static class TargetThreads
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    /// <summary>Each live thread's id, scheduler state ("S (sleeping)") and tracer pid (0 when none).</summary>
    public static List<(string Tid, string State, int Tracer)> Statuses(int pid)
    {
        var statuses = new List<(string, string, int)>();
        foreach (var task in Directory.EnumerateDirectories($"/proc/{pid}/task"))
        {
            if (Read(Path.Combine(task, "status")) is { Length: > 0 } status)
            {
                statuses.Add((Path.GetFileName(task), Field(status, "State:"), int.Parse(Field(status, "TracerPid:"), System.Globalization.CultureInfo.InvariantCulture)));
            }
        }

        return statuses;
    }

    public static bool IsStopped(string state) => state.StartsWith('T') || state.StartsWith('t');

    /// <summary>Running as if nobody had looked: no thread stopped, none traced.</summary>
    public static bool Untouched(int pid) => Statuses(pid).All(s => !IsStopped(s.State) && s.Tracer == 0);

    /// <summary>Asserts <see cref="Untouched"/>, naming the first thread that is not.</summary>
    public static void ShouldBeUntouched(int pid, string what)
    {
        foreach (var (tid, state, tracer) in Statuses(pid))
        {
            IsStopped(state).ShouldBeFalse($"{what}: thread {tid} is {state}");
            tracer.ShouldBe(0, $"{what}: thread {tid} is still traced");
        }
    }

    /// <summary>Every thread seized: from here on, nothing the target does is missed.</summary>
    public static void WaitUntilTraced(int pid) =>
        Until(() => Statuses(pid) is { Count: > 0 } all && all.All(s => s.Tracer != 0), "the tool never attached");

    /// <summary>The UnbufferedWriter sample's writer threads (writer-N) exist: it is writing.</summary>
    public static void WaitForWriter(int pid) => Until(() => IsWriting(pid), "the sample never started writing");

    /// <summary>Each thread's name (comm), as the kernel keeps it (15 bytes at most); none for a process that is gone.</summary>
    public static List<string> Names(int pid)
    {
        try
        {
            return Directory.EnumerateDirectories($"/proc/{pid}/task").Select(t => Read(Path.Combine(t, "comm")).TrimEnd('\n')).ToList();
        }
        catch (DirectoryNotFoundException)
        {
            return [];
        }
    }

    /// <summary>Whether the process has its writer threads; false for a process that is gone.</summary>
    public static bool IsWriting(int pid)
    {
        try
        {
            return Directory.EnumerateDirectories($"/proc/{pid}/task").Any(t => Read(Path.Combine(t, "comm")).StartsWith("writer-", StringComparison.Ordinal));
        }
        catch (DirectoryNotFoundException)
        {
            return false;
        }
    }

    /// <summary>
    /// Each live thread's name, scheduler state ('S'), and the syscall it sits in with its first argument, from
    /// /proc/PID/task/TID/syscall (null when it is running or between calls).
    /// </summary>
    public static List<(string Name, char State, int? Syscall, ulong Arg0)> InSyscalls(int pid)
    {
        var threads = new List<(string, char, int?, ulong)>();
        IEnumerable<string> tasks;
        try
        {
            tasks = Directory.EnumerateDirectories($"/proc/{pid}/task").ToList();
        }
        catch (DirectoryNotFoundException)
        {
            return threads;
        }

        foreach (var task in tasks)
        {
            var status = Read(Path.Combine(task, "status"));
            var fields = Read(Path.Combine(task, "syscall")).Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (status.Length == 0 || fields.Length == 0)
            {
                continue; // ended while we looked
            }

            int? number = fields.Length > 1 && int.TryParse(fields[0], CultureInfo.InvariantCulture, out var nr) && nr >= 0 ? nr : null;
            var arg0 = number is null ? 0 : ulong.Parse(fields[1].AsSpan(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            threads.Add((Field(status, "Name:"), Field(status, "State:")[0], number, arg0));
        }

        return threads;
    }

    /// <summary>
    /// Waits until at least <paramref name="atLeast"/> threads whose name <paramref name="named"/> accepts are asleep
    /// (state S) in one of <paramref name="syscalls"/>: a hang set in, as /proc shows it.
    /// </summary>
    public static void WaitUntilAsleep(int pid, Func<string, bool> named, int atLeast, string[] syscalls, string what, TimeSpan? patience = null)
    {
        var numbers = syscalls.Select(s => LinuxTables.Current.TryGetNumber(s, out var nr) ? nr : throw new ArgumentException($"no syscall {s} here")).ToHashSet();
        Until(
            () => InSyscalls(pid).Count(t => named(t.Name) && t.State == 'S' && t.Syscall is { } nr && numbers.Contains(nr)) >= atLeast,
            $"{what}: fewer than {atLeast} threads asleep in {string.Join(" or ", syscalls)}",
            patience);
    }

    public static void Until(Func<bool> condition, string failure, TimeSpan? patience = null)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > (patience ?? Patience))
            {
                throw new TimeoutException(failure);
            }

            Thread.Sleep(20);
        }
    }

    private static string Field(string status, string name) =>
        status.Split('\n').First(l => l.StartsWith(name, StringComparison.Ordinal))[name.Length..].Trim();

    private static string Read(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return string.Empty; // a thread ended while we looked
        }
    }
}
