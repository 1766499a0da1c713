using Advisor.Core.Events;
using Advisor.Runtime.Symbols;
using Microsoft.Diagnostics.NETCore.Client;

namespace Advisor.Runtime.EventPipe;

/// <summary>
/// The runtime side of a recording: EventPipe sessions on one .NET process, beside the syscall source.
/// Stopping ends the sessions in the target; so does our exit, since the runtime ends a session whose
/// reader went away — nothing is left enabled.
/// </summary>
public sealed class RuntimeMonitor : IDisposable
{
    // The rundown enumerates every method with code; a large app needs a few seconds.
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(15);

    private readonly List<RuntimeEventSession> _sessions = [];
    private bool _stopped;

    private RuntimeMonitor()
    {
    }

    /// <summary>Starts the sessions on a connected runtime.</summary>
    /// <param name="parts">What to ask for (<see cref="RuntimeEventSelection"/>); not <see cref="RuntimeEventParts.None"/>.</param>
    /// <exception cref="RuntimeUnavailableException">The runtime refused or dropped the connection.</exception>
    internal static RuntimeMonitor Start(DiagnosticsClient client, IRuntimeEventSink sink, ManagedMethodMap methods, RuntimeEventParts parts = RuntimeEventParts.Default)
    {
        ArgumentNullException.ThrowIfNull(client);
        var monitor = new RuntimeMonitor();
        try
        {
            monitor._sessions.Add(RuntimeEventSession.Start(
                client, RuntimeProviders.Events(parts), sink, methods, parts & ~RuntimeProviders.WithStacks & ~RuntimeProviders.AtInformational, "runtime"));
            if (RuntimeProviders.Informational(parts) is { } informational)
            {
                monitor._sessions.Add(RuntimeEventSession.Start(
                    client, informational, sink, methods, parts & RuntimeProviders.AtInformational, "gc"));
            }

            if (RuntimeProviders.Contention(parts) is { } contention)
            {
                monitor._sessions.Add(RuntimeEventSession.Start(
                    client, contention, sink, methods, parts & RuntimeProviders.WithStacks, "contention"));
            }

            return monitor;
        }
        catch (Exception e) when (e is DiagnosticsClientException or IOException or TimeoutException or UnauthorizedAccessException)
        {
            monitor.Dispose();
            throw new RuntimeUnavailableException($"the runtime did not start an EventPipe session ({e.Message})", e);
        }
    }

    /// <summary>Ends the sessions, waiting for the rundown that names methods compiled before them.</summary>
    /// <param name="targetExited">The target exited: its runtime ended the sessions itself.</param>
    /// <returns>Notes for the report about anything that did not end cleanly.</returns>
    public IReadOnlyList<string> Stop(bool targetExited)
    {
        if (_stopped)
        {
            return [];
        }

        _stopped = true;
        var notes = new List<string>();
        foreach (var session in _sessions)
        {
            if (!session.Stop(targetExited, StopTimeout))
            {
                notes.Add($"the runtime did not finish its rundown within {StopTimeout.TotalSeconds:0} s: some frames may be unnamed");
            }
            else if (session.Failure is { } failure)
            {
                notes.Add($"runtime events ended early ({failure.Message}): runtime data is partial");
            }
        }

        return notes.Distinct().ToList();
    }

    public void Dispose()
    {
        Stop(targetExited: false);
        foreach (var session in _sessions)
        {
            session.Dispose();
        }
    }
}
