using Advisor.Core.Aggregation;
using Advisor.Core.Events;
using Advisor.Linux.Procfs;
using Advisor.Runtime.Discovery;
using Advisor.Runtime.Launch;
using Advisor.Runtime.Symbols;
using Microsoft.Diagnostics.NETCore.Client;

namespace Advisor.Runtime.EventPipe;

/// <summary>
/// Records the runtime side of a session — its events and its method map — beside the syscall source, by
/// attaching to a running process or by serving a launched one's diagnostic port. Never fails the recording:
/// when runtime data cannot be had, it says why, once, in a note.
/// </summary>
public sealed class RuntimeSessions : IAsyncDisposable
{
    private const string Consequence = "findings come from syscalls alone, without managed frames or runtime events";

    private readonly DiagnosticPortListener? _listener;
    private readonly Task _connecting;
    private readonly List<string> _notes = [];
    private readonly Lock _lock = new();
    private readonly Dictionary<int, RuntimeMonitor> _followed = new();
    private readonly RuntimeEventParts _parts;
    private readonly IRuntimeEventSink _sink;
    private RuntimeMonitor? _monitor;
    private string? _unavailable;
    private bool _stopped;

    private RuntimeSessions(
        DiagnosticPortListener? listener,
        Func<RuntimeSessions, Task> connect,
        RuntimeEventParts parts = RuntimeEventParts.Default,
        Func<RuntimeAggregator, IRuntimeEventSink>? deliver = null)
    {
        _listener = listener;
        (_parts, var note) = RuntimeEventSelection.FromEnvironment(parts);
        if (note is not null)
        {
            _notes.Add(note);
        }

        Events = new RuntimeAggregator(PoolWorkerNames.IsPoolWorker) { CountsWorkItems = _parts.HasFlag(RuntimeEventParts.WorkItems) };
        _sink = deliver?.Invoke(Events) ?? Events;

        _connecting = connect(this);
    }

    // The rundown enumerates every method with code; a large app needs a few seconds.
    private static readonly TimeSpan RundownTimeout = TimeSpan.FromSeconds(15);

    /// <summary>The aggregator the sessions deliver into, or the first one of a <c>deliver</c> given to <see cref="Attach"/>.</summary>
    public RuntimeAggregator Events { get; }

    public ManagedMethodMap Methods { get; } = new();

    /// <summary>
    /// Names what the process compiled before now, without waiting for the end: a session asking only for the
    /// loader's events, stopped at once, whose rundown lists every method with code. For a watch that never
    /// ends (monitor), where the main session's rundown would come only when it stops.
    /// </summary>
    /// <returns>False when the runtime could not be asked (its frames then stay unnamed until they tier up).</returns>
    public static bool NameCompiledMethods(int pid, ManagedMethodMap methods)
    {
        try
        {
            using var session = RuntimeEventSession.Start(
                new DiagnosticsClient(pid), RuntimeProviders.Events(RuntimeEventParts.None), new RuntimeAggregator(), methods, RuntimeEventParts.None, "rundown");
            return session.Stop(targetExited: false, RundownTimeout);
        }
        catch (Exception e) when (e is ServerNotAvailableException or IOException or TimeoutException or ServerErrorException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>No runtime at all: the target is not a .NET process (the report says so already).</summary>
    public static RuntimeSessions None() => new(null, _ => Task.CompletedTask);

    /// <summary>Starts the sessions on a running .NET process.</summary>
    /// <param name="parts">The runtime events to ask for.</param>
    /// <param name="deliver">Where the sessions deliver, given <see cref="Events"/> (monitor rotates it per interval); null: into it.</param>
    public static RuntimeSessions Attach(int pid, RuntimeEventParts parts = RuntimeEventParts.Default, Func<RuntimeAggregator, IRuntimeEventSink>? deliver = null) => new(null, recorder =>
    {
        if (DiagnosticsSwitch.DisabledBy(ProcessEnvironment.Read(pid)) is { } setting)
        {
            recorder._unavailable = $"the target runs with {setting}, which turns its diagnostic port off";
            return Task.CompletedTask;
        }

        recorder.StartMonitor(new DiagnosticsClient(pid), resume: false);
        return Task.CompletedTask;
    }, parts, deliver);

    /// <summary>
    /// Serves the diagnostic port given to a launched command: when its runtime connects (suspended, before
    /// any managed code), starts the sessions, then lets it run.
    /// </summary>
    public static RuntimeSessions Launch(DiagnosticPortListener listener)
    {
        ArgumentNullException.ThrowIfNull(listener);
        return new RuntimeSessions(listener, async recorder =>
        {
            if (await listener.WaitForRuntimeAsync().ConfigureAwait(false) is { } client)
            {
                recorder.StartMonitor(client, resume: true);
            }
        });
    }

    /// <summary>
    /// Starts the sessions on another .NET process of the target's tree (a testhost under <c>dotnet test</c>,
    /// the app under <c>dotnet run</c>) through its default diagnostic socket. Its rundown at the end names
    /// the methods it ran before we came.
    /// </summary>
    /// <returns>False while its runtime does not answer yet (its diagnostic server starts early, but not first): ask again later.</returns>
    public bool Follow(int pid)
    {
        lock (_lock)
        {
            if (_stopped || _followed.ContainsKey(pid))
            {
                return true;
            }
        }

        if (DiagnosticsSwitch.DisabledBy(ProcessEnvironment.Read(pid)) is not null)
        {
            return true; // its port is off: nothing to ask for, ever
        }

        if (_parts == RuntimeEventParts.None)
        {
            return true; // asked for nothing (see RuntimeEventSelection)
        }

        RuntimeMonitor monitor;
        try
        {
            monitor = RuntimeMonitor.Start(new DiagnosticsClient(pid), _sink, Methods, _parts);
        }
        catch (RuntimeUnavailableException)
        {
            return false;
        }

        lock (_lock)
        {
            if (!_stopped)
            {
                _followed[pid] = monitor;
                return true;
            }
        }

        monitor.Dispose();
        return true;
    }

    /// <summary>Ends the sessions (waiting for the rundown) and returns the notes for the report.</summary>
    /// <param name="targetExited">The target has exited (its runtime ended the sessions already).</param>
    /// <param name="targetIsDotNet">Whether the target turned out to run .NET (for launched commands).</param>
    /// <param name="targetEnvironment">The environment the target ran with, if it was seen (see <see cref="DiagnosticsSwitch"/>).</param>
    public async Task<IReadOnlyList<string>> StopAsync(
        bool targetExited, bool targetIsDotNet, IReadOnlyDictionary<string, string>? targetEnvironment = null)
    {
        if (_listener is not null)
        {
            // Unblocks a wait for a runtime that never came; a connected one is still served (Stop needs that).
            await _listener.StopWaitingAsync().ConfigureAwait(false);
        }

        await _connecting.ConfigureAwait(false);
        if (_monitor is not null)
        {
            _notes.AddRange(_monitor.Stop(targetExited));
        }

        else if (targetIsDotNet)
        {
            var reason = _unavailable
                ?? (DiagnosticsSwitch.DisabledBy(targetEnvironment ?? DiagnosticsSwitch.CurrentEnvironment()) is { } setting
                    ? $"the command ran with {setting}, which turns its diagnostic port off"
                    : "the .NET runtime never connected to the diagnostic port");
            _notes.Add($"no runtime data: {reason}; {Consequence}");
        }

        // In parallel: each waits for its own process's rundown. A child that exited took its session's end
        // with it (a testhost is stopped as soon as its tests ran): that is how children end, not a failure.
        var stops = Followed().Select(f => Task.Run(() =>
        {
            var exited = !ProcTasks.ProcessExists(f.Pid);
            var notes = f.Monitor.Stop(exited);
            return exited ? [] : notes;
        }));
        foreach (var notes in await Task.WhenAll(stops).ConfigureAwait(false))
        {
            _notes.AddRange(notes.Where(n => !_notes.Contains(n)));
        }

        return _notes;
    }

    public async ValueTask DisposeAsync()
    {
        if (_listener is not null)
        {
            await _listener.StopWaitingAsync().ConfigureAwait(false);
        }

        await _connecting.ConfigureAwait(false);
        _monitor?.Dispose();
        foreach (var (_, monitor) in Followed())
        {
            monitor.Dispose();
        }

        if (_listener is not null)
        {
            await _listener.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>The followed processes' sessions; none can be added after this.</summary>
    private List<(int Pid, RuntimeMonitor Monitor)> Followed()
    {
        lock (_lock)
        {
            _stopped = true;
            return _followed.Select(p => (p.Key, p.Value)).ToList();
        }
    }

    private void StartMonitor(DiagnosticsClient client, bool resume)
    {
        try
        {
            if (resume)
            {
                // Before it runs any code: the command's own children must not wait on a port nobody serves.
                client.SetEnvironmentVariable(DiagnosticPortListener.PortsVariable, string.Empty);
            }

            if (_parts == RuntimeEventParts.None)
            {
                _unavailable = $"{RuntimeEventSelection.Variable}=none asked for no runtime events";
                return;
            }

            _monitor = RuntimeMonitor.Start(client, _sink, Methods, _parts);
        }
        catch (Exception e) when (e is RuntimeUnavailableException or DiagnosticsClientException or IOException or TimeoutException)
        {
            _unavailable = e is RuntimeUnavailableException ? e.Message : $"the runtime refused the session ({e.Message})";
        }
        finally
        {
            if (resume)
            {
                Resume(client);
            }
        }
    }

    private void Resume(DiagnosticsClient client)
    {
        try
        {
            client.ResumeRuntime();
        }
        catch (Exception e) when (e is DiagnosticsClientException or IOException or TimeoutException)
        {
            _notes.Add($"could not resume the command's runtime ({e.Message})");
        }
    }
}
