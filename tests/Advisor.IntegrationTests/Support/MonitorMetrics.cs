using System.Diagnostics;
using System.Globalization;

namespace Advisor.IntegrationTests.Support;

/// <summary>
/// What <c>monitor --prometheus</c> serves, read straight from its /metrics page: the counters it updates at the end
/// of each judged interval, which is how a test knows intervals went by (monitor logs only changes).
/// </summary>
internal static class MonitorMetrics
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(5) };

    /// <summary>The sum of a metric's series for one pid (every syscall's, say), or null while there is none.</summary>
    public static double? Total(int port, string metric, int pid)
    {
        string page;
        try
        {
            page = Http.GetStringAsync(new Uri($"http://127.0.0.1:{port}/metrics")).GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return null; // not serving yet
        }

        var label = string.Create(CultureInfo.InvariantCulture, $"pid=\"{pid}\"");
        var values = page.Split('\n')
            .Where(l => l.StartsWith(metric + "{", StringComparison.Ordinal) && l.Contains(label, StringComparison.Ordinal))
            .Select(l => double.Parse(l[(l.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture))
            .ToList();
        return values.Count == 0 ? null : values.Sum();
    }

    /// <summary>
    /// Waits until <paramref name="intervals"/> more intervals were judged: the target's syscall count (it makes calls
    /// all the time, as a main thread polling for its release does) took as many new values.
    /// </summary>
    public static void WaitForIntervals(int port, int pid, int intervals, Process tool)
    {
        var seen = new HashSet<double>();
        var clock = Stopwatch.StartNew();
        while (seen.Count <= intervals)
        {
            tool.HasExited.ShouldBeFalse($"monitor exited while waiting for {intervals} judged intervals");
            clock.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(20 * intervals), $"fewer than {intervals} intervals judged");
            if (Total(port, "dotnet_advisor_syscalls_total", pid) is { } value)
            {
                seen.Add(value);
            }

            Thread.Sleep(100);
        }
    }
}
