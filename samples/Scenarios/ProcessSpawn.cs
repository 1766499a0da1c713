using System.Diagnostics;

namespace Scenarios;

/// <summary>
/// ADV014 process-spawn-storm: a small job done by starting a program per item (`true`, standing in for a
/// CLI tool called in a loop). The fixed twin does the work in-process and starts nothing.
/// </summary>
internal static class ProcessSpawn
{
    /// <returns>Items done, and the programs started (each one execve).</returns>
    public static (long Done, long Syscalls) Run(int items, bool isFixed)
    {
        long done = 0;
        for (int i = 0; i < items; i++)
        {
            if (isFixed)
            {
                done += Work(i);
                continue;
            }

            using var process = Process.Start(new ProcessStartInfo("true") { UseShellExecute = false })!;
            process.WaitForExit();
            done += process.ExitCode == 0 ? 1 : 0;
        }

        return (done, isFixed ? 0 : items);
    }

    private static int Work(int item) => item >= 0 ? 1 : 0;
}
