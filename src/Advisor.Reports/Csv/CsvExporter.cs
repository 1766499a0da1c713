using System.Globalization;
using System.Text;
using Advisor.Core.Aggregation;
using Advisor.Core.Reporting;
using Advisor.Core.Reporting.Exporters;
using Advisor.Core.Threads;

namespace Advisor.Reports.Csv;

/// <summary>
/// <c>-o NAME.csv</c>: one row per process × thread × syscall × fd, the aggregation's own rows, for spreadsheets
/// (RFC 4180: comma-separated, quoted where a field needs it, a header line first).
/// </summary>
public sealed class CsvExporter : IReportExporter
{
    private static readonly string[] Header =
        ["pid", "tid", "thread", "role", "syscall", "fd", "target", "calls", "errors", "bytes", "total_ms", "max_ms"];

    public string Name => "csv";

    public IReadOnlyList<string> Extensions { get; } = [".csv"];

    public string Description => "one row per process × thread × syscall × fd (calls, errors, bytes, time), for spreadsheets";

    public ExporterInput Input => ExporterInput.Recording;

    public void Write(ReportContext context, Stream stream)
    {
        var snapshot = context.RequireSnapshot();
        using var writer = new StreamWriter(stream, new UTF8Encoding(false), leaveOpen: true) { NewLine = "\r\n" };
        writer.WriteLine(string.Join(',', Header));

        // A thread's calls on one fd appear once per call stack in the aggregation: summed here into one row.
        var rows = snapshot.Rows
            .GroupBy(r => (r.Pid, r.Tid, r.Syscall, Fd: r.Fd?.Fd, Target: r.Fd?.Description))
            .Select(g => (g.Key, Calls: g.Sum(r => r.Stats.Count), Errors: g.Sum(r => r.Stats.Errors), Bytes: g.Sum(r => r.Stats.Bytes),
                TotalNs: g.Sum(r => r.Stats.TotalNs), MaxNs: g.Max(r => r.Stats.MaxNs)))
            .OrderBy(r => r.Key.Pid).ThenBy(r => r.Key.Tid).ThenByDescending(r => r.Calls).ThenBy(r => r.Key.Syscall, StringComparer.Ordinal);
        foreach (var (key, calls, errors, bytes, totalNs, maxNs) in rows)
        {
            var thread = snapshot.ThreadsByTid.GetValueOrDefault(key.Tid);
            var target = key.Target is { } description && context.Redact ? Redaction.Token(description) : key.Target;
            writer.WriteLine(string.Join(',', [
                Number(key.Pid),
                Number(key.Tid),
                Field(thread?.Name),
                Field(thread is null ? null : ThreadRoles.Display(thread.Role)),
                Field(key.Syscall),
                key.Fd is { } fd ? Number(fd) : "",
                Field(target),
                Number(calls),
                Number(errors),
                Number(bytes),
                Milliseconds(totalNs),
                Milliseconds(maxNs),
            ]));
        }
    }

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Milliseconds(long ns) => (ns / 1e6).ToString("0.###", CultureInfo.InvariantCulture);

    /// <summary>Quoted when it holds a comma, a quote or a line break (quotes doubled), as RFC 4180 says.</summary>
    private static string Field(string? text) =>
        text is null ? ""
        : text.AsSpan().IndexOfAny(",\"\r\n") < 0 ? text
        : $"\"{text.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";
}
