using System.Diagnostics;

namespace Samples.Shared;

/// <summary>`--start-after FILE`: lets a test attach the profiler before the work starts.</summary>
internal static class StartGate
{
    /// <returns>False when the file did not appear within the timeout.</returns>
    public static bool WaitForFile(string path, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (!File.Exists(path))
        {
            if (clock.Elapsed > timeout)
            {
                return false;
            }

            // Polled: a FileSystemWatcher would add an inotify thread to what the profiler sees.
            Thread.Sleep(20);
        }

        return true;
    }
}
