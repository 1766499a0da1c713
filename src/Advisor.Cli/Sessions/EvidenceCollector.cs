using System.Diagnostics;
using System.Globalization;
using Advisor.Cli.CommandLine;
using Advisor.Cli.Output;
using Advisor.Cli.Rendering;
using Advisor.Core.Failures;
using Advisor.Core.Monitoring;
using Advisor.Core.Reporting;
using Advisor.Core.Reporting.Exporters;
using Advisor.Core.Rules;
using Advisor.Linux.Procfs;
using Advisor.Linux.Syscalls;

namespace Advisor.Cli.Sessions;

/// <summary>
/// <c>monitor --collect-on</c>: after each judged interval, asks whether a listed rule was raised or a hang is
/// suspected (<see cref="HangSuspicion"/>), and within the limits (<see cref="CollectionLimiter"/>) saves a hang
/// triage or a recording into the collect directory. The saving runs in the background so the watch keeps judging;
/// what it saved is announced on the monitor's thread (<see cref="Announce"/>). Wires stages only.
/// </summary>
internal sealed class EvidenceCollector : IAsyncDisposable
{
    /// <summary>How long a hang triage watches the threads, as <c>hang</c>'s default.</summary>
    private static readonly TimeSpan TriageWindow = TimeSpan.FromSeconds(1.5);

    /// <summary>
    /// How long stopping waits for a triage or a recording under way to end and write what it has: well within the
    /// 15 s the command line gives a signalled command to finish, so the watches still detach cleanly after it.
    /// </summary>
    private static readonly TimeSpan StopWait = TimeSpan.FromSeconds(5);

    private readonly CollectChoice _choice;
    private readonly string _directory;
    private readonly IReadOnlySet<string> _rules;
    private readonly RuleCatalog _catalog;
    private readonly RecordingChoice _recording;
    private readonly TextWriter _output;
    private readonly IReadOnlyList<IMonitorExporter> _exporters;
    private readonly TimeSpan _stuckFor;
    private readonly CollectionLimiter _limiter;
    private readonly Dictionary<int, HangSuspicion> _suspicions = [];
    private readonly List<Task<Saved>> _running = [];
    private readonly List<Process> _recorders = [];
    private readonly CancellationTokenSource _stopping = new();
    private readonly Func<int, string> _syscallName = LinuxTables.Current.NameOf;
    private TaskCompletionSource _finished = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <param name="directory">The collect directory, checked writable.</param>
    /// <param name="rules">The rule ids that trigger, as the catalog spells them.</param>
    /// <param name="interval">The watch's interval: a thread must look stuck for two of them (and 3 s at least).</param>
    public EvidenceCollector(
        CollectChoice choice, string directory, IReadOnlySet<string> rules, RuleCatalog catalog, RecordingChoice recording,
        TextWriter output, IReadOnlyList<IMonitorExporter> exporters, TimeSpan interval)
    {
        _choice = choice;
        _directory = directory;
        _rules = rules;
        _catalog = catalog;
        _recording = recording;
        _output = output;
        _exporters = exporters;
        _stuckFor = TimeSpan.FromTicks(Math.Max(2 * interval.Ticks, TimeSpan.FromSeconds(3).Ticks));
        _limiter = new CollectionLimiter(choice.Cooldown, choice.Limit);
    }

    /// <summary>Completes when something saved in the background is ready to be announced.</summary>
    public Task Finished => _finished.Task;

    /// <summary>Looks at one process's judged interval for a trigger; starts what it saves in the background.</summary>
    public void Judged(IntervalOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        var (pid, name) = (outcome.Pid, outcome.Process);
        if (outcome.Exited)
        {
            _suspicions.Remove(pid);
            _limiter.Forget(pid);
            return;
        }

        var now = DateTimeOffset.UtcNow;
        foreach (var change in outcome.Changes.Where(c => c.Change == FindingChange.Raised && _rules.Contains(c.Finding.RuleId)))
        {
            if (Permitted(pid, name, change.Finding.RuleId, now))
            {
                Start(_choice.Kind == CollectionKind.Hang
                    ? () => TriageAsync(pid, name, change.Finding.RuleId, now, onlyIfHung: false)
                    : () => RecordAsync(pid, name, change.Finding.RuleId, now));
            }
        }

        if (_choice.OnHang)
        {
            var suspicion = _suspicions.TryGetValue(pid, out var known) ? known : _suspicions[pid] = new HangSuspicion(pid, name, _stuckFor, _syscallName);
            if (suspicion.Observe(ThreadObserver.Observe(pid), now) is { } suspected && Permitted(pid, name, CollectOptions.Hang, now))
            {
                MonitorLog.Collecting(_output, string.Create(CultureInfo.InvariantCulture, $"hang suspected in pid {pid} {name}: {suspected.Describe()} stuck; running the hang triage"));
                Start(() => TriageAsync(pid, name, CollectOptions.Hang, now, onlyIfHung: true));
            }
        }
    }

    /// <summary>Says what the background work saved (or why not) in the log and to every exporter, on the monitor's thread.</summary>
    public void Announce()
    {
        if (!_finished.Task.IsCompleted)
        {
            return;
        }

        _finished = new(TaskCreationOptions.RunContinuationsAsynchronously);
        foreach (var task in _running.Where(t => t.IsCompleted).ToList())
        {
            _running.Remove(task);
            var saved = task.Result;
            MonitorLog.Collecting(_output, saved.Line);
            if (saved.Collection is { } collection)
            {
                foreach (var exporter in _exporters)
                {
                    exporter.Collected(collection);
                }
            }
        }

        if (_running.Any(t => t.IsCompleted))
        {
            _finished.TrySetResult();
        }
    }

    /// <summary>Ends what is under way (a recording stops as on Ctrl+C and writes what it saw) and announces it.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        lock (_recorders)
        {
            foreach (var recorder in _recorders)
            {
                ProcTasks.Terminate(recorder.Id);
            }
        }

        await Task.WhenAny(Task.WhenAll(_running), Task.Delay(StopWait)).ConfigureAwait(false);
        _finished.TrySetResult();
        Announce();
        if (_running.Count == 0)
        {
            _stopping.Dispose(); // else a triage still under way would find its token disposed
        }
    }

    private bool Permitted(int pid, string name, string trigger, DateTimeOffset at)
    {
        var permit = _limiter.Ask(pid, at);
        if (permit.Refusal is { } why)
        {
            MonitorLog.Collecting(_output, string.Create(CultureInfo.InvariantCulture, $"not collecting for {trigger} in pid {pid} {name}: {why}"));
        }

        return permit.Granted;
    }

    private void Start(Func<Task<Saved>> work)
    {
        var task = Task.Run(work);
        _running.Add(task);
        _ = task.ContinueWith(_ => _finished.TrySetResult(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    /// <summary>The triage <c>hang</c> runs, saved as JSON and Markdown; for the hang trigger, only when it found a hang.</summary>
    private async Task<Saved> TriageAsync(int pid, string name, string trigger, DateTimeOffset at, bool onlyIfHung)
    {
        try
        {
            var report = await HangTriage.TriageAsync(pid, TriageWindow, _catalog, _stopping.Token).ConfigureAwait(false);
            var verdict = TriageVerdict.Describe(report);
            if (onlyIfHung && !TriageVerdict.IsHang(report))
            {
                return new Saved(null, string.Create(CultureInfo.InvariantCulture, $"hang triage of pid {pid} {name}: {verdict}; nothing saved"));
            }

            var stem = Path.Combine(_directory, CollectionName.Of(name, pid, at, trigger));
            string[] paths = [stem + ".json", stem + ".md"];
            foreach (var path in paths)
            {
                ReportFiles.Write(new ReportContext(report, _catalog), path);
            }

            return new Saved(
                new Collection(pid, name, CollectionKind.Hang, trigger, paths, at),
                string.Create(CultureInfo.InvariantCulture, $"collected hang triage of pid {pid} {name} ({verdict}) in {string.Join(" and ", paths)}"));
        }
        catch (AdvisorException e)
        {
            return new Saved(null, string.Create(CultureInfo.InvariantCulture, $"hang triage of pid {pid} {name} for {trigger} failed: {e.Message}"));
        }
    }

    /// <summary>
    /// <c>profile -p PID --duration D -o FILE.advisor</c> as a child: the very pipeline profile uses, with a backend
    /// of its own beside the watch's, writing 0600 and atomically as every report file.
    /// </summary>
    private async Task<Saved> RecordAsync(int pid, string name, string trigger, DateTimeOffset at)
    {
        var path = Path.Combine(_directory, CollectionName.Of(name, pid, at, trigger) + ".advisor");
        var command = SelfInvocation.Command("profile");
        var start = new ProcessStartInfo(command[0]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in command.Skip(1).Concat([
            "-p", pid.ToString(CultureInfo.InvariantCulture), "--duration", _choice.Duration.TotalSeconds.ToString(CultureInfo.InvariantCulture) + "s",
            "-o", path, "-q", "--backend", _recording.Backend, "--stacks", _recording.StacksText,
            "--sample-rate", _recording.SampleRateHz.ToString(CultureInfo.InvariantCulture)]))
        {
            start.ArgumentList.Add(argument);
        }

        using var recorder = Process.Start(start)!;
        lock (_recorders)
        {
            _recorders.Add(recorder);
        }

        var stderr = recorder.StandardError.ReadToEndAsync(CancellationToken.None);
        _ = recorder.StandardOutput.ReadToEndAsync(CancellationToken.None);
        await recorder.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
        lock (_recorders)
        {
            _recorders.Remove(recorder);
        }

        var error = (await stderr.ConfigureAwait(false)).Trim();
        return recorder.ExitCode == 0 && File.Exists(path)
            ? new Saved(
                new Collection(pid, name, CollectionKind.Recording, trigger, [path], at),
                string.Create(CultureInfo.InvariantCulture, $"collected a recording of pid {pid} {name} ({trigger}) in {path}"))
            : new Saved(null, string.Create(CultureInfo.InvariantCulture, $"recording of pid {pid} {name} for {trigger} failed (exit {recorder.ExitCode}): {error.Split('\n')[^1]}"));
    }

    /// <summary>What one piece of background work left: the log line, and the collection when files were saved.</summary>
    private sealed record Saved(Collection? Collection, string Line);
}
