using System.CommandLine;
using Advisor.Cli.CommandLine;
using Advisor.Cli.Sessions;
using Advisor.Core.Failures;
using Advisor.Runtime.Discovery;

namespace Advisor.Cli.Commands;

/// <summary><c>hang -p PID | -n NAME</c>: one-shot triage of a hung or stalled process (DESIGN section 6).</summary>
internal static class HangCommand
{
    private static readonly TimeSpan DefaultWindow = TimeSpan.FromSeconds(1.5);

    public static Command Create(SharedOptions shared)
    {
        var processId = new Option<int?>("--process-id", "-p") { Description = "The process to triage." };
        var name = new Option<string?>("--name", "-n") { Description = "The .NET process to triage, by name (see ps)." };
        var window = new Option<string?>("--window")
        {
            Description = "How long to watch the threads to tell blocked from busy (default 1.5s; 200ms to 10s).",
        };
        var command = new Command(
            "hang",
            "Say why a process is stuck: which threads are blocked in which syscall, for how long, on which stack; "
            + "deadlock, thread-pool starvation, I/O with no answer, busy or idle. The process keeps running.");
        command.Options.Add(processId);
        command.Options.Add(name);
        command.Options.Add(window);
        shared.AddTo(command, recording: false);
        command.SetAction((result, cancel) =>
        {
            var options = shared.Bind(result);
            var pid = (result.GetValue(processId), result.GetValue(name)) switch
            {
                ({ } p, null) => p,
                (null, { } n) => DotNetProcesses.ResolveName(n),
                (null, null) => throw new AdvisorException(FailureKind.Usage, "hang needs -p PID or -n NAME"),
                _ => throw new AdvisorException(FailureKind.Usage, "give either -p or -n, not both"),
            };
            return HangTriage.RunAsync(pid, Window(result.GetValue(window)), options, cancel);
        });
        return command;
    }

    private static TimeSpan Window(string? text)
    {
        if (text is null)
        {
            return DefaultWindow;
        }

        return DurationParser.TryParse(text, out var window) && window >= TimeSpan.FromMilliseconds(200) && window <= TimeSpan.FromSeconds(10)
            ? window
            : throw new AdvisorException(FailureKind.Usage, $"--window '{text}' must be a duration from 200ms to 10s, such as 1.5s or 500ms");
    }
}
