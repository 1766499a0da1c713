using System.CommandLine;
using Advisor.Cli.CommandLine;
using Advisor.Cli.Sessions;
using Advisor.Core.Failures;
using Advisor.Reports.Otlp;
using OpenTelemetry.Exporter;

namespace Advisor.Cli.Commands;

/// <summary>
/// <c>monitor -p PID | -n NAME | --all [--interval 10s]</c>: records a window of every interval, runs the rules over it
/// and logs each finding as it is raised and as it clears, until Ctrl+C, SIGTERM, --duration or the target's exit.
/// </summary>
internal static class MonitorCommand
{
    private static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(10);
    /// <summary>
    /// One second of every interval: while recording, every syscall of the machine takes the kernel's slow path and
    /// a busy web service loses about a fifth of its throughput (bench/RESULTS.md, "monitor's windows"), so the
    /// share recorded sets what the windows cost; a rule's minimum count must be reached within the window.
    /// </summary>
    private static readonly TimeSpan DefaultRecordFor = TimeSpan.FromSeconds(1);

    public static Command Create()
    {
        var target = new TargetOptions("monitor", "watch", "-p PID, -n NAME or --all");
        var all = new Option<bool>("--all")
        {
            Description = "Watch every .NET process this user may trace, picking up those that start and letting go of those that exit (instead of -p or -n).",
        };
        var interval = new Option<string?>("--interval")
        {
            Description = "How long each interval the rules judge lasts (default 10s; 1s to 1h).",
        };
        var recordFor = new Option<string?>("--record-for")
        {
            Description = "How much of each interval is recorded, the rest paused (default 1s; 'all' records throughout; bpf and perf pause, "
                + "ptrace and proc record throughout). With the default a busy web service lost 0% to 9% of its throughput (bench/RESULTS.md). Findings are judged on what was recorded, "
                + "so a pattern must reach its rule's minimum count within the window; exported syscall counts are scaled to the whole interval.",
        };
        var poolEvents = new Option<bool>("--pool-events")
        {
            Description = "Also ask the runtime for the thread pool's own events, so that ADV005 (thread-pool starvation) is judged too. "
                + "They cost the watched process CPU on every request all the time, not only in recorded windows (about 1 µs per request on a busy web service, bench/RESULTS.md).",
        };
        var recording = new RecordingOptions();
        var catalog = new CatalogOptions();
        var collect = new CollectOptions();
        var verbose = new Option<bool>("--verbose", "-v") { Description = "Also log info findings." };
        var prometheus = new Option<string?>("--prometheus")
        {
            Description = "Serve the syscall counts, active findings and the tool's own health at http://ADDR:PORT/metrics for Prometheus to scrape ([ADDR:]PORT; ADDR defaults to 127.0.0.1, 0.0.0.0 listens on every address).",
        };
        var otlp = new Option<string?>("--otlp")
        {
            HelpName = "URL",
            Description = "Send the same numbers over OTLP, and a log record for each finding raised or cleared, to an OpenTelemetry collector at URL. "
                + "Over http/protobuf URL is the base (http://HOST:4318): metrics go to URL/v1/metrics, logs to URL/v1/logs; over grpc it is the collector's address (http://HOST:4317).",
        };
        var otlpProtocol = new Option<string?>("--otlp-protocol")
        {
            HelpName = "http/protobuf|grpc",
            Description = "How --otlp sends: http/protobuf (default) or grpc.",
        };
        var command = new Command(
            "monitor",
            "Keep watching a process: record its syscalls for a window of every interval (1s of every 10s by default), run the rules over it, and log each finding when it is raised and when it clears. "
            + "Runs until Ctrl+C, SIGTERM, --duration or the process's exit; the process keeps running.");
        target.AddTo(command);
        command.Options.Add(all);
        command.Options.Add(interval);
        command.Options.Add(recordFor);
        command.Options.Add(poolEvents);
        recording.AddTo(command);
        command.Options.Add(verbose);
        command.Options.Add(prometheus);
        command.Options.Add(otlp);
        command.Options.Add(otlpProtocol);
        collect.AddTo(command);
        catalog.AddTo(command);
        command.SetAction((result, cancel) =>
        {
            var every = DurationParser.Within(result.GetValue(interval), "--interval", DefaultInterval, TimeSpan.FromSeconds(1), TimeSpan.FromHours(1), "from 1s to 1h, such as 10s or 1m");
            var recorded = result.GetValue(recordFor) is "all" ? every
                : DurationParser.Within(result.GetValue(recordFor), "--record-for", DefaultRecordFor, TimeSpan.FromMilliseconds(500), TimeSpan.FromHours(1), "from 500ms to 1h, or all, such as 2s");
            return MonitorWorkflow.RunAsync(
                Target(result, target, all),
                new MonitorSettings(every, result.GetValue(verbose), Endpoint(result.GetValue(prometheus)), recorded, Otlp(result.GetValue(otlp), result.GetValue(otlpProtocol)), collect.Bind(result))
                {
                    PoolEvents = result.GetValue(poolEvents),
                },
                recording.Bind(result),
                catalog.Bind(result),
                cancel);
        });
        return command;
    }

    /// <summary>The pid of -p or -n, or null for --all.</summary>
    private static int? Target(ParseResult result, TargetOptions target, Option<bool> all)
    {
        if (!result.GetValue(all))
        {
            return target.Resolve(result);
        }

        return result.GetValue(target.ProcessId) is null && result.GetValue(target.Name) is null
            ? null
            : throw new AdvisorException(FailureKind.Usage, "give -p, -n or --all, not more than one");
    }

    /// <summary>Where --otlp sends, checked before anything is attached.</summary>
    private static OtlpEndpoint? Otlp(string? url, string? protocol)
    {
        if (url is null)
        {
            return protocol is null ? null : throw new AdvisorException(FailureKind.Usage, "--otlp-protocol needs --otlp URL");
        }

        var how = protocol is null ? OtlpExportProtocol.HttpProtobuf
            : OtlpEndpoint.ParseProtocol(protocol) ?? throw new AdvisorException(FailureKind.Usage, $"--otlp-protocol '{protocol}' must be http/protobuf or grpc");
        return Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps) && uri.Host.Length > 0
            ? new OtlpEndpoint(uri, how)
            : throw new AdvisorException(FailureKind.Usage, $"--otlp '{url}' must be an absolute http:// or https:// URL, such as http://127.0.0.1:4318");
    }

    private static (string Address, int Port)? Endpoint(string? text)
    {
        if (text is null)
        {
            return null;
        }

        var colon = text.LastIndexOf(':');
        var address = colon < 0 ? "127.0.0.1" : text[..colon];
        return int.TryParse(text[(colon + 1)..], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var port)
            && port is > 0 and <= 65535 && address.Length > 0
            ? (address, port)
            : throw new AdvisorException(FailureKind.Usage, $"--prometheus '{text}' must be [ADDR:]PORT, such as 9464 or 0.0.0.0:9464");
    }
}

/// <summary>
/// What <c>monitor</c> does each interval: how long one is and how much of it is recorded, whether info findings are
/// logged, where Prometheus scrapes, where OTLP goes, what triggers save evidence.
/// </summary>
/// <param name="RecordFor">How much of each interval is recorded (the rest paused, where the backend can); the whole interval when as long.</param>
internal sealed record MonitorSettings(
    TimeSpan Interval, bool Verbose, (string Address, int Port)? Prometheus, TimeSpan RecordFor, OtlpEndpoint? Otlp = null, CollectChoice? Collect = null)
{
    /// <summary>Whether the runtime sessions also ask for the thread pool's events (<c>--pool-events</c>), which ADV005 reads.</summary>
    public bool PoolEvents { get; init; }
}
