using System.Diagnostics;
using System.Globalization;

namespace Advisor.Cli.Rendering;

/// <summary>
/// The live "recording…" line, on stderr and only on a terminal, so it never mixes into a report on stdout,
/// a redirected log, or (in run) the child's own output, which owns the terminal then.
/// </summary>
internal sealed class RecordingProgress
{
    private readonly string _what;
    private readonly bool _live;
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    public RecordingProgress(string what, bool live)
    {
        _what = what;
        _live = live && !Console.IsErrorRedirected;
        if (_live)
        {
            Console.Error.Write($"recording {_what} — Ctrl+C to stop");
        }
    }

    public void Update(long events, long lost)
    {
        if (_live)
        {
            Console.Error.Write($"\r\u001b[2Krecording {_what} · {Line(events, lost)} — Ctrl+C to stop");
        }
    }

    public void Done(long events, long lost)
    {
        if (_live)
        {
            Console.Error.WriteLine($"\r\u001b[2Krecorded {_what} · {Line(events, lost)}");
        }
    }

    private string Line(long events, long lost) => string.Create(
        CultureInfo.InvariantCulture,
        $"{_clock.Elapsed.TotalSeconds:0.0} s · {events:N0} syscalls · {lost:N0} lost");
}
