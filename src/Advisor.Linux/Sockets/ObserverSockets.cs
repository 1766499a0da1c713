namespace Advisor.Linux.Sockets;

/// <summary>
/// Tells which of a target's unix sockets exist because this tool observes it: the runtime's diagnostic server
/// (its <c>dotnet-diagnostic-PID-…-socket</c> listener, which only tools use), the connections that server
/// accepted from this process (each EventPipe session, each command), and the target's connections to a socket
/// this process listens on (the diagnostic port <c>run</c> gives the runtime). What the target does on them —
/// the runtime streaming its events to us — is the observer's doing, not the app's.
/// </summary>
/// <remarks>
/// "This process" is matched by socket inode, through the kernel's socket diagnostics: a connection whose other end
/// is already closed, or in another network namespace, cannot be told and stays the app's.
/// </remarks>
public sealed class ObserverSockets
{
    private const string DiagnosticServerPrefix = "dotnet-diagnostic-";
    private const string DiagnosticServerSuffix = "-socket";
    private const long ListenersTtlMs = 1000;

    private readonly int _self;
    private (List<long> Inodes, HashSet<string> Names, long ReadAtMs)? _listeners;

    /// <param name="self">The observer's pid; this process unless a test says otherwise.</param>
    public ObserverSockets(int? self = null) => _self = self ?? Environment.ProcessId;

    /// <summary>Whether the target's socket with this inode serves its observation.</summary>
    public bool IsObserver(long inode)
    {
        if (UnixSocketDiag.Query(inode) is not { } socket)
        {
            return false;
        }

        if (IsDiagnosticServer(socket.Name))
        {
            // The server itself, listening or still being set up (bound, connected to nothing: a drain that reads its
            // bind before its listen): only tools use it. A connection it accepted carries its name and has a peer: the
            // calls on it are ours when we hold that other end.
            return socket.Listening || socket.Peer is null || (socket.Peer > 0 && OwnSocketInodes().Contains(socket.Peer.Value));
        }

        if (socket.Name is not null || socket.Peer is not { } other)
        {
            // Bound (the target serves, or was accepted by a server of its own), or connected to nothing.
            return false;
        }

        var (listeners, names) = OwnListeners();
        if (other > 0)
        {
            // An accepted socket carries its listener's name: the target connected to a socket of ours if that name is one we listen on.
            return UnixSocketDiag.Query(other)?.Name is { } server && names.Contains(server);
        }

        // Connected but not accepted yet (the runtime connects to the port before we take the connection): ours if it
        // waits in one of our listeners' queues.
        return listeners.Any(listener => UnixSocketDiag.Query(listener)?.Pending.Contains(inode) == true);
    }

    /// <summary>Whether this process listens on a unix socket of that name (a path a connect was given).</summary>
    public bool IsListeningOn(string name) => OwnListeners().Names.Contains(name);

    private static bool IsDiagnosticServer(string? name) =>
        Path.GetFileName(name) is { } file && file.StartsWith(DiagnosticServerPrefix, StringComparison.Ordinal)
        && file.EndsWith(DiagnosticServerSuffix, StringComparison.Ordinal);

    private HashSet<long> OwnSocketInodes()
    {
        try
        {
            return SocketFds.Read(_self).Select(s => s.Inode).ToHashSet();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    /// <summary>
    /// The unix sockets this process listens on, by inode and name; read again after a second, for a listener opened
    /// since (they are opened before the target starts).
    /// </summary>
    private (List<long> Inodes, HashSet<string> Names) OwnListeners()
    {
        var now = Environment.TickCount64;
        if (_listeners is not { } cached || now - cached.ReadAtMs > ListenersTtlMs)
        {
            var listening = OwnSocketInodes()
                .Select(UnixSocketDiag.Query)
                .OfType<UnixSocket>()
                .Where(s => s.Listening && s.Name is not null)
                .ToList();
            cached = (listening.Select(s => s.Inode).ToList(), listening.Select(s => s.Name!).ToHashSet(StringComparer.Ordinal), now);
            _listeners = cached;
        }

        return (cached.Inodes, cached.Names);
    }
}
