namespace Advisor.Runtime.EventPipe;

/// <summary>
/// Whether a thread of a .NET process is one of its thread pool's workers, by the name the runtime gives them
/// (<c>/proc/PID/task/TID/comm</c>). Not the dedicated threads of long-running tasks (".NET Long Running
/// Task"): blocking is what those are for.
/// </summary>
internal static class PoolWorkerNames
{
    private const string Worker = ".NET TP Worker";

    public static bool IsPoolWorker(int pid, int tid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/task/{tid}/comm").StartsWith(Worker, StringComparison.Ordinal);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false; // gone already: its waits are no longer anyone's concern
        }
    }
}
