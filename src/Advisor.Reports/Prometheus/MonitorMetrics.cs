using System.Globalization;
using Advisor.Core.Aggregation;
using Advisor.Core.Findings;
using Advisor.Core.Monitoring;
using Prometheus;

namespace Advisor.Reports.Prometheus;

/// <summary>
/// monitor's series in Prometheus's text exposition format, served at <c>/metrics</c> (prometheus-net: stable,
/// a standalone HttpListener server, series removable when a process goes; OpenTelemetry's Prometheus exporter is
/// still a beta here). Every series carries <c>pid</c> and <c>process</c>; no path or stack is a label, and a
/// process's syscalls beyond <see cref="ExportedSeries.TopSyscalls"/> go under <c>syscall="other"</c>.
/// </summary>
public sealed class MonitorMetrics : IMonitorExporter
{
    private readonly MetricServer _server;
    private readonly Counter _syscalls;
    private readonly Counter _syscallSeconds;
    private readonly Gauge _findings;
    private readonly Gauge _saving;
    private readonly Counter _lost;
    private readonly Counter _recorderCpu;
    private readonly Counter _collections;
    private readonly Dictionary<int, Series> _series = new();

    private MonitorMetrics(MetricServer server, CollectorRegistry registry)
    {
        _server = server;
        var metrics = Metrics.WithCustomRegistry(registry);
        _syscalls = metrics.CreateCounter("dotnet_advisor_syscalls_total", "System calls the process made.", "pid", "process", "syscall");
        _syscallSeconds = metrics.CreateCounter("dotnet_advisor_syscall_seconds_total", "Time the process's system calls took, as recorded.", "pid", "process", "syscall");
        _findings = metrics.CreateGauge("dotnet_advisor_findings", "1 while a finding of the rule is active, 0 once it cleared.", "pid", "process", "rule", "severity");
        _saving = metrics.CreateGauge(
            "dotnet_advisor_finding_saving_seconds", "Kernel time per second the rule's fix would save, estimated over the last interval.", "pid", "process", "rule");
        _lost = metrics.CreateCounter("dotnet_advisor_lost_events_total", "Syscall records the kernel could not deliver to the tool.", "pid", "process");
        _recorderCpu = metrics.CreateCounter("dotnet_advisor_recorder_cpu_seconds_total", "CPU time the tool itself used.", "pid", "process");
        _collections = metrics.CreateCounter(
            "dotnet_advisor_collections_total", "Recordings and hang triages saved when a trigger fired.", "pid", "process", "kind", "trigger");
    }

    /// <summary>Starts serving <c>http://ADDR:PORT/metrics</c>.</summary>
    /// <exception cref="System.Net.HttpListenerException">The address cannot be bound (a port in use).</exception>
    public static MonitorMetrics Serve(string address, int port)
    {
        var registry = Metrics.NewCustomRegistry();
        // HttpListener's spelling of every address is "+".
        var server = new MetricServer(address == "0.0.0.0" ? "+" : address, port, "metrics/", registry);
        server.Start();
        return new MonitorMetrics(server, registry);
    }

    /// <summary>One interval of one process: its calls, its findings in force and the tool's own health.</summary>
    /// <remarks>The last interval of a process that exited removes its series: a host whose processes come and go keeps a bounded set.</remarks>
    public void Observe(IntervalOutcome interval)
    {
        ArgumentNullException.ThrowIfNull(interval);
        var id = interval.Pid.ToString(CultureInfo.InvariantCulture);
        var series = _series.TryGetValue(interval.Pid, out var known) ? known : _series[interval.Pid] = new Series(interval.Process);
        var process = series.Process; // a process that execs keeps the name its series began with, so they can be removed
        foreach (var (label, calls, seconds) in ExportedSeries.Syscalls(interval, series.Syscalls))
        {
            series.SyscallLabels.Add(label);
            _syscalls.WithLabels(id, process, label).Inc(calls);
            _syscallSeconds.WithLabels(id, process, label).Inc(seconds);
        }

        foreach (var change in interval.Changes.Where(c => c.Change == FindingChange.Cleared))
        {
            _findings.WithLabels(id, process, change.Finding.RuleId, SeverityNames.Display(change.Finding.Severity)).Set(0);
            _saving.WithLabels(id, process, change.Finding.RuleId).Set(0);
        }

        foreach (var rule in interval.Active.GroupBy(f => (f.RuleId, Severity: SeverityNames.Display(f.Severity))))
        {
            series.Rules.Add(rule.Key);
            _findings.WithLabels(id, process, rule.Key.RuleId, rule.Key.Severity).Set(1);
            _saving.WithLabels(id, process, rule.Key.RuleId).Set(ExportedSeries.SavingPerSecond(rule, interval));
        }

        _lost.WithLabels(id, process).Inc(interval.Syscalls.LostEvents);
        _recorderCpu.WithLabels(id, process).IncTo(interval.RecorderCpuSeconds);
        if (interval.Exited)
        {
            Remove(id, series);
            _series.Remove(interval.Pid);
        }
    }

    public void Collected(Collection collection)
    {
        ArgumentNullException.ThrowIfNull(collection);
        var series = _series.TryGetValue(collection.Pid, out var known) ? known : _series[collection.Pid] = new Series(collection.Process);
        var kind = collection.Kind.ToString().ToLowerInvariant();
        series.Collections.Add((kind, collection.Trigger));
        _collections.WithLabels(collection.Pid.ToString(CultureInfo.InvariantCulture), series.Process, kind, collection.Trigger).Inc();
    }

    private void Remove(string id, Series series)
    {
        foreach (var label in series.SyscallLabels)
        {
            _syscalls.RemoveLabelled(id, series.Process, label);
            _syscallSeconds.RemoveLabelled(id, series.Process, label);
        }

        foreach (var (rule, severity) in series.Rules)
        {
            _findings.RemoveLabelled(id, series.Process, rule, severity);
            _saving.RemoveLabelled(id, series.Process, rule);
        }

        foreach (var (kind, trigger) in series.Collections)
        {
            _collections.RemoveLabelled(id, series.Process, kind, trigger);
        }

        _lost.RemoveLabelled(id, series.Process);
        _recorderCpu.RemoveLabelled(id, series.Process);
    }

    public void Dispose() => _server.Dispose();

    /// <summary>The label values a process's series were made with, to remove them when it exits.</summary>
    private sealed record Series(string Process)
    {
        public HashSet<string> Syscalls { get; } = [];

        public HashSet<string> SyscallLabels { get; } = [];

        public HashSet<(string RuleId, string Severity)> Rules { get; } = [];

        public HashSet<(string Kind, string Trigger)> Collections { get; } = [];
    }
}
