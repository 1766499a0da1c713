using Advisor.Core.Events;
using Advisor.Runtime.Symbols;
using Microsoft.Diagnostics.NETCore.Client;
using Microsoft.Diagnostics.Tracing;

namespace Advisor.Runtime.EventPipe;

/// <summary>One EventPipe session, parsed in real time on its own thread.</summary>
internal sealed class RuntimeEventSession : IDisposable
{
    private readonly EventPipeSession _session;
    private readonly Thread _reader;
    private Exception? _failure;

    private RuntimeEventSession(
        EventPipeSession session, IRuntimeEventSink sink, ManagedMethodMap methods, bool stacks, RuntimeEventParts parts, string name)
    {
        _session = session;
        _reader = new Thread(() => Read(sink, methods, stacks, parts)) { IsBackground = true, Name = $"advisor {name} events" };
        _reader.Start();
    }

    /// <summary>Why parsing ended early, if it did (a corrupt stream); null when it ended normally.</summary>
    public Exception? Failure => _failure;

    /// <param name="parts">What the configuration asks for: the events to subscribe to.</param>
    public static RuntimeEventSession Start(
        DiagnosticsClient client, EventPipeSessionConfiguration configuration, IRuntimeEventSink sink, ManagedMethodMap methods, RuntimeEventParts parts, string name)
    {
        var session = client.StartEventPipeSession(configuration);
        return new RuntimeEventSession(session, sink, methods, configuration.RequestStackwalk, parts, name);
    }

    /// <summary>
    /// Asks the runtime to end the session (it then writes the rundown, if requested) and waits for the
    /// stream to end. A target that already exited ended it already.
    /// </summary>
    /// <param name="targetExited">The target is gone: its runtime already wrote the rundown and closed the
    /// stream, and a Stop command would only wait for a reply that cannot come.</param>
    /// <returns>False when the stream did not end within the timeout.</returns>
    public bool Stop(bool targetExited, TimeSpan timeout)
    {
        try
        {
            if (!targetExited)
            {
                _session.Stop();
            }
        }
        catch (Exception e) when (e is ServerNotAvailableException or IOException or TimeoutException or ServerErrorException)
        {
            // The target is gone or closed the session: the stream ends by itself.
        }

        return _reader.Join(timeout);
    }

    public void Dispose() => _session.Dispose();

    private void Read(IRuntimeEventSink sink, ManagedMethodMap methods, bool stacks, RuntimeEventParts parts)
    {
        try
        {
            using var source = new EventPipeEventSource(_session.EventStream);
            ClrEventRouter.Attach(source, sink, methods, stacks, parts);
            sink.OnSessionStarted();
            source.Process();
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or FormatException or InvalidOperationException or EndOfStreamException)
        {
            // A stream cut off mid-event (target killed, session disposed) ends the session; what was parsed stays.
            _failure = e;
        }
    }
}
