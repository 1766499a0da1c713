using System.CommandLine;
using Advisor.Cli.CommandLine;
using Advisor.Cli.Sessions;
using Advisor.Core.Failures;

namespace Advisor.Cli.Commands;

/// <summary><c>hang -p PID | -n NAME</c>: one-shot triage of a hung or stalled process (docs/hang.md).</summary>
internal static class HangCommand
{
    private static readonly TimeSpan DefaultWindow = TimeSpan.FromSeconds(1.5);

    public static Command Create(SharedOptions shared)
    {
        var target = new TargetOptions("hang", "triage");
        var window = new Option<string?>("--window")
        {
            Description = "How long to watch the threads to tell blocked from busy (default 1.5s; 200ms to 10s).",
        };
        var command = new Command(
            "hang",
            "Say why a process is stuck: which threads are blocked in which syscall, for how long, on which stack; "
            + "deadlock, thread-pool starvation, I/O with no answer, busy or idle. The process keeps running.");
        target.AddTo(command);
        command.Options.Add(window);
        shared.AddTo(command, recording: false, counts: false);
        command.SetAction((result, cancel) =>
        {
            var options = shared.Bind(result);
            return HangTriage.RunAsync(target.Resolve(result), DurationParser.Within(result.GetValue(window), "--window", DefaultWindow, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(10), "from 200ms to 10s, such as 1.5s or 500ms"), options, cancel);
        });
        return command;
    }
}
