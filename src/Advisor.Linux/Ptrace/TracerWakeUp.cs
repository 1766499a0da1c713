using System.Runtime.InteropServices;

namespace Advisor.Linux.Ptrace;

/// <summary>
/// Ends the tracer thread's blocking waitpid from another thread. The kernel offers no timed wait for
/// tracees, and no signal may be sent to the target for this; so SIGUSR2, aimed at the tracer thread alone,
/// gets a handler that does nothing and is installed without SA_RESTART: the wait returns EINTR.
/// </summary>
internal static unsafe partial class TracerWakeUp
{
    private const int SigUsr2 = 12;
    private static readonly Lock Gate = new();
    private static bool _installed;

    /// <summary>Installs the handler (once per process) and returns the calling thread's id.</summary>
    public static int PrepareThisThread()
    {
        lock (Gate)
        {
            if (!_installed)
            {
                // abs(int) ignores its argument's effects entirely: an async-signal-safe no-op that needs no
                // managed code on the signal path.
                var action = default(SigAction);
                action.Handler = NativeLibrary.GetExport(NativeLibrary.Load("libc.so.6"), "abs");
                _installed = SetAction(SigUsr2, &action, null) == 0;
            }
        }

        return GetTid();
    }

    public static void Wake(int tid)
    {
        if (tid > 0)
        {
            _ = TgKill(Environment.ProcessId, tid, SigUsr2);
        }
    }

    [LibraryImport("libc", EntryPoint = "sigaction", SetLastError = true)]
    private static partial int SetAction(int signal, SigAction* action, SigAction* old);

    [LibraryImport("libc", EntryPoint = "tgkill", SetLastError = true)]
    private static partial int TgKill(int pid, int tid, int signal);

    [LibraryImport("libc", EntryPoint = "gettid")]
    private static partial int GetTid();

    /// <summary>glibc's struct sigaction on x86_64 and arm64: handler, a 1024-bit mask, flags, restorer.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct SigAction
    {
        public nint Handler;
        public fixed ulong Mask[16];
        public int Flags;
        public nint Restorer;
    }
}
