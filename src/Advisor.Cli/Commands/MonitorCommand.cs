using System.CommandLine;
using Advisor.Cli.CommandLine;
using Advisor.Cli.Output.Monitor;
using Advisor.Cli.Sessions;
using Advisor.Core.Failures;

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

    public static Command Create() => Create(MonitorOutputs.All);

    /// <param name="outputs">Where it can send what it judged (<see cref="MonitorOutputs.All"/>; a test adds its own).</param>
    public static Command Create(IReadOnlyList<IMonitorOutput> outputs)
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
        foreach (var option in outputs.SelectMany(o => o.Options))
        {
            command.Options.Add(option);
        }

        collect.AddTo(command);
        catalog.AddTo(command);
        command.SetAction((result, cancel) =>
        {
            var every = DurationParser.Within(result.GetValue(interval), "--interval", DefaultInterval, TimeSpan.FromSeconds(1), TimeSpan.FromHours(1), "from 1s to 1h, such as 10s or 1m");
            var recorded = result.GetValue(recordFor) is "all" ? every
                : DurationParser.Within(result.GetValue(recordFor), "--record-for", DefaultRecordFor, TimeSpan.FromMilliseconds(500), TimeSpan.FromHours(1), "from 500ms to 1h, or all, such as 2s");
            return MonitorWorkflow.RunAsync(
                Target(result, target, all),
                new MonitorSettings(every, result.GetValue(verbose), recorded, MonitorOutputs.Bind(result, outputs), collect.Bind(result))
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
}
