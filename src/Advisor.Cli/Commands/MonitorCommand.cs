using System.CommandLine;
using Advisor.Cli.CommandLine;
using Advisor.Cli.Sessions;
using Advisor.Core.Failures;

namespace Advisor.Cli.Commands;

/// <summary>
/// <c>monitor -p PID | -n NAME | --all [--interval 10s]</c>: keeps recording, runs the rules over every interval and
/// logs each finding as it is raised and as it clears, until Ctrl+C, SIGTERM, --duration or the target's exit.
/// </summary>
internal static class MonitorCommand
{
    private static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(10);

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
        var recording = new RecordingOptions();
        var catalog = new CatalogOptions();
        var collect = new CollectOptions();
        var verbose = new Option<bool>("--verbose", "-v") { Description = "Also log info findings." };
        var prometheus = new Option<string?>("--prometheus")
        {
            Description = "Serve the syscall counts, active findings and the tool's own health at http://ADDR:PORT/metrics for Prometheus to scrape ([ADDR:]PORT; ADDR defaults to 127.0.0.1, 0.0.0.0 listens on every address).",
        };
        var command = new Command(
            "monitor",
            "Keep watching a process: record its syscalls continuously, run the rules every interval, and log each finding when it is raised and when it clears. "
            + "Runs until Ctrl+C, SIGTERM, --duration or the process's exit; the process keeps running.");
        target.AddTo(command);
        command.Options.Add(all);
        command.Options.Add(interval);
        recording.AddTo(command);
        command.Options.Add(verbose);
        command.Options.Add(prometheus);
        collect.AddTo(command);
        catalog.AddTo(command);
        command.SetAction((result, cancel) => MonitorWorkflow.RunAsync(
            Target(result, target, all),
            new MonitorSettings(
                DurationParser.Within(result.GetValue(interval), "--interval", DefaultInterval, TimeSpan.FromSeconds(1), TimeSpan.FromHours(1), "from 1s to 1h, such as 10s or 1m"),
                result.GetValue(verbose), Endpoint(result.GetValue(prometheus)), collect.Bind(result)),
            recording.Bind(result),
            catalog.Bind(result),
            cancel));
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
/// What <c>monitor</c> does each interval: how long one is, whether info findings are logged, where Prometheus scrapes,
/// what triggers save evidence.
/// </summary>
internal sealed record MonitorSettings(TimeSpan Interval, bool Verbose, (string Address, int Port)? Prometheus = null, CollectChoice? Collect = null);
