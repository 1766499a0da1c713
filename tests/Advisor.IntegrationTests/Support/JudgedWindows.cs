using System.Diagnostics;
using System.Globalization;

namespace Advisor.IntegrationTests.Support;

/// <summary>
/// The windows a `monitor --prometheus` judges, counted from outside: its target writes all the time, so the
/// target's pwrite64 counter moves once per judged window. Read every 100 ms, a 1 s window is seen as one change (a
/// change missed only lowers the count).
/// </summary>
internal sealed class JudgedWindows(int port, int pid) : IDisposable
{
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(5) };
    private string? _last;

    public void Dispose() => _http.Dispose();

    /// <summary>Waits until <paramref name="count"/> more windows have been judged; fails past <paramref name="within"/>.</summary>
    /// <param name="context">What to show when it fails (the tool's output).</param>
    public void WaitFor(int count, TimeSpan within, Func<string> context)
    {
        var clock = Stopwatch.StartNew();
        var seen = 0;
        while (seen < count)
        {
            clock.Elapsed.ShouldBeLessThan(within, $"only {seen} of {count} windows judged in {within.TotalSeconds:0} s:\n{context()}");
            var value = Read();
            if (value is not null && value != _last)
            {
                seen += _last is null ? 0 : 1; // the first value read is where counting starts
                _last = value;
            }

            Thread.Sleep(100);
        }
    }

    private string? Read()
    {
        try
        {
            var prefix = "dotnet_advisor_syscalls_total{pid=\"" + pid.ToString(CultureInfo.InvariantCulture) + "\"";
            var text = _http.GetStringAsync(new Uri($"http://127.0.0.1:{port}/metrics")).GetAwaiter().GetResult();
            return text.Split('\n').FirstOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal) && l.Contains("syscall=\"pwrite64\"", StringComparison.Ordinal))
                ?.Split(' ')[^1];
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return null; // not serving yet
        }
    }
}
