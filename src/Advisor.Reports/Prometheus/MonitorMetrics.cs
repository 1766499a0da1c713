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
/// process's syscalls beyond the <see cref="TopSyscalls"/> it made most of go under <c>syscall="other"</c>.
/// </summary>
public sealed class MonitorMetrics : IDisposable
{
    /// <summary>Syscalls with a series of their own per process.</summary>
    public const int TopSyscalls = 20;

    private readonly MetricServer _server;
    private readonly Counter _syscalls;
    private readonly Counter _syscallSeconds;
    private readonly Gauge _findings;
    private readonly Gauge _saving;
    private readonly Counter _lost;
    private readonly Counter _recorderCpu;
    private readonly Dictionary<int, HashSet<string>> _namedSyscalls = new();

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
    /// <param name="cleared">Findings that cleared at this interval's end: their series go to 0.</param>
    public void Observe(int pid, string process, SyscallSnapshot interval, IEnumerable<Finding> active, IEnumerable<Finding> cleared, double recorderCpuSeconds)
    {
        ArgumentNullException.ThrowIfNull(interval);
        var id = pid.ToString(CultureInfo.InvariantCulture);
        var named = _namedSyscalls.TryGetValue(pid, out var known) ? known : _namedSyscalls[pid] = [];
        foreach (var syscall in interval.Rows.GroupBy(r => r.Syscall).OrderByDescending(g => g.Sum(r => r.Stats.Count)))
        {
            var label = named.Contains(syscall.Key) || (named.Count < TopSyscalls && named.Add(syscall.Key)) ? syscall.Key : "other";
            _syscalls.WithLabels(id, process, label).Inc(syscall.Sum(r => r.Stats.Count));
            _syscallSeconds.WithLabels(id, process, label).Inc(syscall.Sum(r => r.Stats.TotalNs) / 1e9);
        }

        var seconds = Math.Max(interval.DurationSeconds, 1e-3);
        foreach (var finding in cleared)
        {
            _findings.WithLabels(id, process, finding.RuleId, SeverityNames.Display(finding.Severity)).Set(0);
            _saving.WithLabels(id, process, finding.RuleId).Set(0);
        }

        foreach (var rule in active.GroupBy(f => (f.RuleId, f.Severity)))
        {
            _findings.WithLabels(id, process, rule.Key.RuleId, SeverityNames.Display(rule.Key.Severity)).Set(1);
            _saving.WithLabels(id, process, rule.Key.RuleId).Set(rule.Sum(f => f.EstimatedSavingMs) / 1000 / seconds);
        }

        _lost.WithLabels(id, process).Inc(interval.LostEvents);
        _recorderCpu.WithLabels(id, process).IncTo(recorderCpuSeconds);
    }

    public void Dispose() => _server.Dispose();
}
