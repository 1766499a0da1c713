using System.Text.Json;
using Advisor.Core.Events;
using Advisor.Core.Reporting;
using Advisor.Core.Syscalls;

namespace Advisor.Reports.ChromeTrace;

/// <summary>
/// The Chrome trace event format (<c>.trace.json</c>), which Perfetto and chrome://tracing open: one
/// complete event ("ph": "X") per syscall on its thread's track, thread and process names as metadata, and
/// the findings as instant events at the end. Written as the events stream in, never held in memory; past
/// <see cref="MaxEvents"/> syscalls the rest are counted, not drawn, and the trace says so.
/// </summary>
public sealed class ChromeTraceWriter : ISyscallSink, IDisposable
{
    public const long MaxEvents = 2_000_000;

    private readonly Utf8JsonWriter _json;
    private readonly SyscallCatalog _catalog;
    private readonly long _originNs;
    private long _written;
    private long _left;
    private long _lastNs;

    /// <param name="originNs">CLOCK_MONOTONIC time shown as 0 (the recording's start).</param>
    public ChromeTraceWriter(Stream output, SyscallCatalog catalog, long originNs)
    {
        _json = new Utf8JsonWriter(output);
        _catalog = catalog;
        _originNs = originNs;
        _json.WriteStartObject();
        _json.WriteString("displayTimeUnit", "ns");
        _json.WriteStartArray("traceEvents");
    }

    public long Written => _written;

    public void OnSyscall(in SyscallEvent e)
    {
        _lastNs = Math.Max(_lastNs, e.StartNs + e.DurationNs);
        if (_written >= MaxEvents)
        {
            _left++;
            return;
        }

        _written++;
        _json.WriteStartObject();
        _json.WriteString("name", _catalog.NameOf(e.Number));
        _json.WriteString("cat", "syscall");
        _json.WriteString("ph", "X");
        _json.WriteNumber("ts", Micros(e.StartNs));
        _json.WriteNumber("dur", e.DurationNs / 1000.0);
        _json.WriteNumber("pid", e.Pid);
        _json.WriteNumber("tid", e.Tid);
        _json.WriteStartObject("args");
        _json.WriteNumber("ret", e.Return);
        if (e.Failed)
        {
            _json.WriteString("errno", _catalog.Errnos.NameOf(e.Errno));
        }

        if ((_catalog.TraitsOf(e.Number) & SyscallTraits.FdArg0) != 0)
        {
            _json.WriteNumber("fd", (long)e.Arg0);
        }

        _json.WriteEndObject();
        _json.WriteEndObject();
    }

    public void OnLost(long count)
    {
    }

    /// <summary>Names the tracks and marks the findings, then closes the JSON.</summary>
    public void Finish(AdvisorReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        Metadata("process_name", report.Target.Pid, report.Target.Pid, report.Target.Name);
        foreach (var thread in report.Threads)
        {
            Metadata("thread_name", report.Target.Pid, thread.Tid, $"{thread.Name} ({thread.Role})");
        }

        foreach (var finding in report.Findings)
        {
            _json.WriteStartObject();
            _json.WriteString("name", $"{finding.RuleId} {finding.RuleName}");
            _json.WriteString("cat", "finding");
            _json.WriteString("ph", "i");
            _json.WriteString("s", "g");
            _json.WriteNumber("ts", Micros(_lastNs));
            _json.WriteNumber("pid", report.Target.Pid);
            _json.WriteNumber("tid", finding.Thread?.Tid ?? report.Target.Pid);
            _json.WriteStartObject("args");
            _json.WriteString("message", finding.Message);
            _json.WriteEndObject();
            _json.WriteEndObject();
        }

        _json.WriteEndArray();
        _json.WriteStartObject("metadata");
        _json.WriteString("tool", $"{report.Tool.Name} {report.Tool.Version}");
        _json.WriteNumber("syscallsDrawn", _written);
        _json.WriteNumber("syscallsNotDrawn", _left);
        _json.WriteEndObject();
        _json.WriteEndObject();
        _json.Flush();
    }

    public void Dispose() => _json.Dispose();

    private double Micros(long ns) => (ns - _originNs) / 1000.0;

    private void Metadata(string name, int pid, int tid, string value)
    {
        _json.WriteStartObject();
        _json.WriteString("name", name);
        _json.WriteString("ph", "M");
        _json.WriteNumber("pid", pid);
        _json.WriteNumber("tid", tid);
        _json.WriteStartObject("args");
        _json.WriteString("name", value);
        _json.WriteEndObject();
        _json.WriteEndObject();
    }
}
