using System.Diagnostics.Metrics;
using Advisor.Core.Findings;
using Advisor.Core.Monitoring;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace Advisor.Reports.Otlp;

/// <summary>
/// monitor's numbers and findings over OTLP, through the OpenTelemetry SDK: the Prometheus series under the same
/// names, units and labels (as attributes; counters as cumulative sums, findings and savings as gauges), read by
/// observable instruments from what <see cref="Observe"/> kept and exported every interval; and one log record
/// per finding raised or cleared and per collection (<see cref="FindingLog"/>).
/// </summary>
/// <remarks>
/// A collector that refuses or hangs must not hold up the judging of windows, nor fill memory: <see cref="Observe"/>
/// only updates what the instruments read and queues log records; the SDK exports on threads of its own, each
/// attempt bounded by <see cref="ExportTimeout"/> and by default not retried (the counters are cumulative: the next
/// export carries what a failed one had), and queues at most <see cref="LogQueue"/> log records, dropping new ones
/// past that. Whether exports fail is reported once each way per endpoint (<see cref="ExportHealth"/>).
/// </remarks>
public sealed class MonitorOtlp : IMonitorExporter
{
    /// <summary>The meter's and the logger's name: the instrumentation scope a collector sees.</summary>
    public const string Scope = "dotnet-advisor";

    /// <summary>How long each export, and the last flush at exit, may take: an unreachable collector must not hold monitor up.</summary>
    private static readonly TimeSpan ExportTimeout = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The SDK keeps every attribute set a cumulative instrument ever reported, and past its cardinality limit (2000)
    /// sends new ones as <c>otel.metric.overflow</c>; so once processes that exited have used this many, the meter
    /// provider is replaced by a fresh one (the series go on, with a new start time).
    /// </summary>
    private const int RetiredBeforeRenewal = 1000;

    /// <summary>Log records waiting for export at most (the SDK's default, said here since memory depends on it).</summary>
    private const int LogQueue = 2048;

    private readonly Lock _gate = new();
    private readonly Dictionary<int, ProcessSeries> _processes = [];
    private readonly Meter _meter;
    private readonly MonitorOtlpSettings _settings;
    private readonly ResourceBuilder _resource;
    private MeterProvider _meters;
    private int _retired;
    private readonly BatchLogRecordExportProcessor _logExport;
    private readonly ILoggerFactory _loggers;
    private readonly FindingLog _log;
    private readonly OtlpExportEvents _exportEvents;
    private Task _retiring = Task.CompletedTask;

    private MonitorOtlp(MonitorOtlpSettings settings)
    {
        _settings = settings;
        // Before the first exporter exists: its first outcome is reported too.
        _exportEvents = new OtlpExportEvents(settings.Endpoint.Url, ExportTimeout, new ExportHealth(settings.ExportChanged, TimeProvider.System));
        var resource = _resource = ResourceBuilder.CreateEmpty().AddService("dotnet-advisor", serviceVersion: settings.ServiceVersion, autoGenerateServiceInstanceId: false);
        _meter = new Meter(Scope, settings.ServiceVersion);
        CreateInstruments();
        _meters = Meters();
        _logExport = new BatchLogRecordExportProcessor(
            new OtlpLogExporter(Options(settings.Endpoint, settings.Endpoint.Logs)),
            maxQueueSize: LogQueue,
            exporterTimeoutMilliseconds: (int)ExportTimeout.TotalMilliseconds);
        var logExport = _logExport;
        _loggers = LoggerFactory.Create(b => b.AddOpenTelemetry(o =>
        {
            o.SetResourceBuilder(resource);
            o.IncludeFormattedMessage = true; // the body: the line monitor prints
            o.AddProcessor(logExport);
        }));
        _log = new FindingLog(_loggers.CreateLogger(Scope), settings.Site);
    }

    /// <summary>Starts exporting to <paramref name="settings"/>' endpoint; nothing is sent until the first interval.</summary>
    public static MonitorOtlp Start(MonitorOtlpSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return new MonitorOtlp(settings);
    }

    /// <summary>One interval of one process: its calls, its findings in force, the tool's own health, and a log record per finding raised or cleared.</summary>
    public void Observe(IntervalOutcome interval)
    {
        ArgumentNullException.ThrowIfNull(interval);
        bool renew;
        lock (_gate)
        {
            renew = _retired >= RetiredBeforeRenewal;
        }

        if (renew)
        {
            Renew(); // outside the lock: the old provider's last collection reads the instruments, which take it
        }

        lock (_gate)
        {
            var series = Series(interval.Pid, interval.Process);
            foreach (var (label, calls, seconds) in ExportedSeries.Syscalls(interval, series.Named))
            {
                var (count, total) = series.Syscalls.GetValueOrDefault(label);
                series.Syscalls[label] = (count + calls, total + seconds);
            }

            foreach (var change in interval.Changes.Where(c => c.Change == FindingChange.Cleared))
            {
                series.Findings[(change.Finding.RuleId, SeverityNames.Display(change.Finding.Severity))] = 0;
                series.Saving[change.Finding.RuleId] = 0;
            }

            foreach (var rule in interval.Active.GroupBy(f => (f.RuleId, Severity: SeverityNames.Display(f.Severity))))
            {
                series.Findings[rule.Key] = 1;
                series.Saving[rule.Key.RuleId] = ExportedSeries.SavingPerSecond(rule, interval);
            }

            series.Lost += interval.Syscalls.LostEvents;
            series.RecorderCpuSeconds = Math.Max(series.RecorderCpuSeconds, interval.RecorderCpuSeconds);
            if (interval.Exited)
            {
                series.Unreported = [.. Enum.GetValues<OtlpInstrument>()];
            }
        }

        foreach (var change in interval.Changes)
        {
            _log.Changed(interval, change);
        }
    }

    public void Collected(Collection collection)
    {
        ArgumentNullException.ThrowIfNull(collection);
        lock (_gate)
        {
            var series = Series(collection.Pid, collection.Process);
            var key = (collection.Kind.ToString().ToLowerInvariant(), collection.Trigger);
            series.Collections[key] = series.Collections.GetValueOrDefault(key) + 1;
        }

        _log.Collected(collection);
    }

    /// <summary>Exports now what the next period would (tests).</summary>
    internal void Flush()
    {
        var timeout = (int)ExportTimeout.TotalMilliseconds;
        _meters.ForceFlush(timeout);
        _logExport.ForceFlush(timeout);
    }

    /// <summary>Sends what is pending (the last interval, the last log records), waiting a bounded time, then stops.</summary>
    public void Dispose()
    {
        // Shutting down collects and exports one last time: the interval judged as monitor stopped is not lost. Both
        // signals at once, so a collector that hangs holds the exit up for one timeout, not one per signal.
        var timeout = (int)ExportTimeout.TotalMilliseconds;
        Task.WaitAll(Task.Run(() => _meters.Shutdown(timeout)), Task.Run(() => _logExport.Shutdown(timeout)), _retiring);
        _meters.Dispose();
        _loggers.Dispose();
        _meter.Dispose();
        _exportEvents.Dispose(); // last: a failure of the last export is still reported
    }

    private MeterProvider Meters() => Sdk.CreateMeterProviderBuilder()
        .SetResourceBuilder(_resource)
        .AddMeter(Scope)
        .AddReader(new PeriodicExportingMetricReader(new OtlpMetricExporter(Options(_settings.Endpoint, _settings.Endpoint.Metrics)), (int)_settings.Period.TotalMilliseconds)
        {
            TemporalityPreference = MetricReaderTemporalityPreference.Cumulative,
        })
        .Build();

    /// <summary>A fresh meter provider, forgetting the attribute sets of processes gone (<see cref="RetiredBeforeRenewal"/>).</summary>
    private void Renew()
    {
        var old = _meters;
        _meters = Meters();
        lock (_gate)
        {
            _retired = 0;
        }

        // The old provider's last export, off monitor's thread: against a collector that hangs it takes the whole timeout.
        _retiring = Task.WhenAll(_retiring, Task.Run(() =>
        {
            old.Shutdown((int)ExportTimeout.TotalMilliseconds);
            old.Dispose();
        }));
    }

    private static OtlpExporterOptions Options(OtlpEndpoint endpoint, Uri signal) => new()
    {
        Endpoint = signal,
        Protocol = endpoint.Protocol,
        TimeoutMilliseconds = (int)ExportTimeout.TotalMilliseconds,
    };

    /// <summary>The process's series; a pid seen again after its process exited starts anew (pids are reused).</summary>
    private ProcessSeries Series(int pid, string process)
    {
        if (!_processes.TryGetValue(pid, out var series) || series.Unreported is not null)
        {
            series = _processes[pid] = new ProcessSeries(pid, process);
        }

        return series;
    }

    private void CreateInstruments()
    {
        _meter.CreateObservableCounter(
            "dotnet_advisor_syscalls_total",
            () => Read(OtlpInstrument.Syscalls, s => s.Syscalls.Select(c => new Measurement<long>(c.Value.Count, s.Tags(("syscall", c.Key))))),
            "{call}",
            "System calls the process made.");
        _meter.CreateObservableCounter(
            "dotnet_advisor_syscall_seconds_total",
            () => Read(OtlpInstrument.SyscallSeconds, s => s.Syscalls.Select(c => new Measurement<double>(c.Value.Seconds, s.Tags(("syscall", c.Key))))),
            "s",
            "Time the process's system calls took, as recorded.");
        _meter.CreateObservableGauge(
            "dotnet_advisor_findings",
            () => Read(OtlpInstrument.Findings, s => s.Findings.Select(f => new Measurement<long>(f.Value, s.Tags(("rule", f.Key.RuleId), ("severity", f.Key.Severity))))),
            "{finding}",
            "1 while a finding of the rule is active, 0 once it cleared.");
        _meter.CreateObservableGauge(
            "dotnet_advisor_finding_saving_seconds",
            () => Read(OtlpInstrument.Saving, s => s.Saving.Select(f => new Measurement<double>(f.Value, s.Tags(("rule", f.Key))))),
            "s",
            "Kernel time per second the rule's fix would save, estimated over the last interval.");
        _meter.CreateObservableCounter(
            "dotnet_advisor_lost_events_total",
            () => Read<long>(OtlpInstrument.Lost, s => [new Measurement<long>(s.Lost, s.Tags())]),
            "{event}",
            "Syscall records the kernel could not deliver to the tool.");
        _meter.CreateObservableCounter(
            "dotnet_advisor_recorder_cpu_seconds_total",
            () => Read<double>(OtlpInstrument.RecorderCpu, s => [new Measurement<double>(s.RecorderCpuSeconds, s.Tags())]),
            "s",
            "CPU time the tool itself used.");
        _meter.CreateObservableCounter(
            "dotnet_advisor_collections_total",
            () => Read(OtlpInstrument.Collections, s => s.Collections.Select(c => new Measurement<long>(c.Value, s.Tags(("kind", c.Key.Kind), ("trigger", c.Key.Trigger))))),
            "{collection}",
            "Recordings and hang triages saved when a trigger fired.");
    }

    /// <summary>
    /// One instrument's measurements, on the SDK's export thread. A process that exited is reported once more by
    /// each instrument, then dropped: a host whose processes come and go keeps a bounded set.
    /// </summary>
    private List<Measurement<T>> Read<T>(OtlpInstrument instrument, Func<ProcessSeries, IEnumerable<Measurement<T>>> read)
        where T : struct
    {
        lock (_gate)
        {
            var measurements = new List<Measurement<T>>();
            foreach (var series in _processes.Values.ToList())
            {
                measurements.AddRange(read(series));
                if (series.Unreported is { } unreported && unreported.Remove(instrument) && unreported.Count == 0)
                {
                    _processes.Remove(series.Pid);
                    _retired += series.AttributeSets;
                }
            }

            return measurements;
        }
    }
}
