using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Hang;

/// <summary>
/// ADV015 on a file lock: a child process (this sample again, with --hold-lock) takes an exclusive flock on
/// a file and keeps it; the "lock-waiter" thread here asks for the same lock and waits in flock(LOCK_EX).
/// Released by the child letting go (it exits on the same release file, or when its stdin from this process
/// closes): the waiter gets the lock, appends a line, unlocks. The child is always ended with the scenario,
/// and exits by itself if this process dies.
/// </summary>
internal sealed partial class FileLock(string? releaseFile, TimeSpan timeout) : IHangScenario
{
    private const int LockExclusive = 2;
    private const int Unlock = 8;
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"advisor-hang-{Environment.ProcessId}.lock");
    private Process? _holder;
    private Thread? _waiter;
    private long _written;

    public void Start()
    {
        _holder = StartHolder();
        var locked = _holder.StandardOutput.ReadLineAsync();
        if (!locked.Wait(TimeSpan.FromSeconds(30)) || locked.Result != "locked")
        {
            throw new IOException($"the lock holder (pid {_holder.Id}) did not take the lock");
        }

        _waiter = new Thread(() => _written = LockWaiter.AppendUnderLock(_path)) { Name = "lock-waiter" };
        _waiter.Start();
        Thread.Sleep(300);
    }

    public string ReadyDetail => _holder is { } holder ? $" holder={holder.Id}" : string.Empty;

    public void Release()
    {
        // The holder watches the same release file, and lets go when its stdin closes (the timeout's way).
        if (_holder is { } holder)
        {
            holder.StandardInput.Close();
            if (!holder.WaitForExit(TimeSpan.FromSeconds(10)))
            {
                holder.Kill();
            }
        }
    }

    public (long Completed, long Result) Finish(TimeSpan timeout) =>
        _waiter is not null && _waiter.Join(timeout) && _written > 0 ? (1, _written) : (-1, _written);

    public void Dispose()
    {
        if (_holder is { HasExited: false } holder)
        {
            holder.Kill();
            holder.WaitForExit();
        }

        _holder?.Dispose();
        File.Delete(_path);
    }

    /// <summary>
    /// The child: takes the lock, says so, holds it until the release file appears, the timeout passes or its
    /// parent is gone (its stdin, a pipe from the parent, reaches end of file: even a killed parent leaves no
    /// child behind).
    /// </summary>
    public static int Hold(string path, string? releaseFile, TimeSpan timeout)
    {
        using var orphaned = new ManualResetEventSlim();
        new Thread(() =>
        {
            using var stdin = Console.OpenStandardInput();
            var buffer = new byte[64];
            while (stdin.Read(buffer) > 0)
            {
            }

            orphaned.Set();
        })
        { IsBackground = true, Name = "parent-watch" }.Start();

        using var file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.ReadWrite);
        if (Flock((int)file.SafeFileHandle.DangerousGetHandle(), LockExclusive) != 0)
        {
            Console.Error.WriteLine($"Hang: flock failed (errno {Marshal.GetLastPInvokeError()})");
            return 1;
        }

        Console.Out.WriteLine("locked");
        Console.Out.Flush();
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout && !orphaned.IsSet && (releaseFile is null || !File.Exists(releaseFile)))
        {
            orphaned.Wait(TimeSpan.FromMilliseconds(20));
        }

        return 0; // closing the file lets go of the lock
    }

    private Process StartHolder()
    {
        var host = Environment.ProcessPath!;
        var start = new ProcessStartInfo(host) { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(host) == "dotnet")
        {
            start.ArgumentList.Add("exec");
            start.ArgumentList.Add(typeof(FileLock).Assembly.Location);
        }

        foreach (var argument in new[] { "--hold-lock", _path, "--timeout", ((int)timeout.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(argument);
        }

        if (releaseFile is not null)
        {
            start.ArgumentList.Add("--release-after");
            start.ArgumentList.Add(releaseFile);
        }

        return Process.Start(start)!;
    }

    [LibraryImport("libc", EntryPoint = "flock", SetLastError = true)]
    internal static partial int Flock(int fd, int operation);

    private static class LockWaiter
    {
        /// <returns>Bytes appended once the lock was ours.</returns>
        [MethodImpl(MethodImplOptions.NoInlining)]
        public static long AppendUnderLock(string path)
        {
            using var file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.ReadWrite);
            var fd = (int)file.SafeFileHandle.DangerousGetHandle();
            if (Flock(fd, LockExclusive) != 0) // waits for the holder
            {
                return 0;
            }

            file.Seek(0, SeekOrigin.End);
            var line = "waited for the lock\n"u8;
            file.Write(line);
            file.Flush();
            _ = Flock(fd, Unlock);
            return line.Length;
        }
    }
}
