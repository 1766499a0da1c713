using System.Text.RegularExpressions;
using Advisor.Core.Aggregation;
using Advisor.Core.Rules.Metrics;
using Advisor.Core.Stacks;

namespace Advisor.Core.Hang;

/// <summary>
/// A thread waiting for a server's answer. Its stack is in a client's read — a socket receive, a network or TLS
/// stream read, a database provider's read buffer, a client library's wait for its reply — whatever syscall
/// that wait sits in: recv on a blocking socket, or a futex when .NET waits for a non-blocking one (Npgsql's
/// synchronous API reads that way). Says who the server is (the library on the stack, else the port), over
/// which connection, and which code asked.
/// </summary>
/// <param name="Library">The server as the client library on the stack, else the port, names it.</param>
/// <param name="Connection">The socket it waits on: the one its frames hold, else the only candidate; null when that is not known.</param>
/// <param name="Peers">The server's endpoints ("10.0.0.9:5432"): the connection's, or every candidate's when the stack does not say which.</param>
/// <param name="Caller">The application's frame and the call it made ("Shop.OrderJob.Settle → NpgsqlCommand.ExecuteNonQuery"); null when the stack has none.</param>
public sealed partial record ServerWait(ClientLibrary Library, ProcessSocket? Connection, IReadOnlyList<string> Peers, string? Caller)
{
    /// <summary>Candidates named in a verdict before the rest are left to the evidence.</summary>
    private const int PeersNamed = 3;

    /// <summary>"PostgreSQL at 127.0.0.1:5432 (Npgsql)", "a TCP service at 10.0.0.9:7000", "Redis at one of 10.0.0.1:6379, 10.0.0.2:6379 (StackExchange.Redis)".</summary>
    public string Server
    {
        get
        {
            var at = Peers.Count switch
            {
                0 when Connection?.Description.StartsWith("unix", StringComparison.Ordinal) == true => " over a unix socket",
                0 => "",
                1 => $" at {Peers[0]}",
                _ => $" at one of {string.Join(", ", Peers.Take(PeersNamed))}{(Peers.Count > PeersNamed ? ", …" : "")}",
            };
            return Library.Library is { } library ? $"{Library.Server}{at} ({library})" : $"{Library.Server}{at}";
        }
    }

    /// <summary>
    /// What the blocked thread waits for, when its stack is in a client's read of a connection it opened; null
    /// otherwise — no such frame, a wait for pushed messages by design (LISTEN), or a server reading its client.
    /// </summary>
    /// <param name="sockets">The process's sockets, for the connection when the stack does not hold it.</param>
    public static ServerWait? Of(HangThread thread, IReadOnlyList<ProcessSocket> sockets)
    {
        ArgumentNullException.ThrowIfNull(thread);
        ArgumentNullException.ThrowIfNull(sockets);
        var frames = thread.Stack.Frames.Select(f => f.Name).ToList();
        if (thread.Activity != ThreadActivity.Blocked || !frames.Any(AnswerWait().IsMatch) || frames.Any(PushedWait().IsMatch))
        {
            return null;
        }

        var serverPorts = sockets.Where(s => s.Listening).Select(s => Ports(s)?.Local).OfType<int>().ToHashSet();
        var connections = sockets.Where(s => !s.Listening && ConversationSide.IsStream(s.Description)).ToList();
        bool Accepted(ProcessSocket s) => Ports(s) is { } ports && serverPorts.Contains(ports.Local);

        // The socket the syscall reads (recv), else the one its frames hold, says which connection; a socket
        // accepted from a listener means this is a server waiting for its client's next request, which is its job.
        var held = thread.BlockedFd is { } fd && thread.BlockedOn is { } on && ConversationSide.IsStream(on)
            ? [connections.FirstOrDefault(s => s.Fd == fd) ?? new ProcessSocket(fd, on, false, 0)]
            : connections.Where(s => thread.SocketFds.Contains(s.Fd)).ToList();
        if (held.Count > 0 && held.All(Accepted))
        {
            return null;
        }

        var library = ClientLibrary.Identify(frames, null, unix: false);
        var candidates = held.Count > 0 ? held.Where(s => !Accepted(s)).ToList() : Candidates(connections.Where(s => !Accepted(s)), library);
        var peers = candidates.Select(s => Peer(s.Description)).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        if (peers.Count == 1 && library.Library is null)
        {
            // No library on the stack: the one server's port may still say what it is.
            library = ClientLibrary.Identify(frames, Ports(candidates[0])?.Remote, candidates[0].Description.StartsWith("unix", StringComparison.Ordinal));
        }

        return new ServerWait(library, candidates.Count == 1 ? candidates[0] : null, peers, CallerOf(thread.Stack, library));
    }

    /// <summary>
    /// Connections the thread may wait on when its frames hold none (a library that reads on its own threads):
    /// those with no answer waiting unread, narrowed to the library's server's usual port when some are there.
    /// </summary>
    private static List<ProcessSocket> Candidates(IEnumerable<ProcessSocket> clients, ClientLibrary library)
    {
        var waiting = clients.Where(s => s.UnreadBytes == 0).ToList();
        var usual = waiting.Where(s => library.Library is not null
            && ClientLibrary.Identify([], Ports(s)?.Remote, unix: false).Server == library.Server).ToList();
        return usual.Count > 0 ? usual : waiting;
    }

    /// <summary>
    /// The first application frame outside the library, with the call it made; a library's own frames may pass
    /// for the application's when the runtime cannot tell whose assembly they are.
    /// </summary>
    private static string? CallerOf(CallStack stack, ClientLibrary library)
    {
        for (var i = 0; i < stack.Frames.Count; i++)
        {
            var frame = stack.Frames[i];
            if (frame.Kind != FrameKind.User || library.Frames?.IsMatch(frame.Name) == true)
            {
                continue;
            }

            var caller = CallStack.Readable(frame.Name);
            return i == 0 ? caller : $"{caller} → {CallStack.ShortName(CallStack.Readable(stack.Frames[i - 1].Name))}";
        }

        return null;
    }

    private static (int Local, int Remote)? Ports(ProcessSocket socket) => ConversationSide.Ports(socket.Description);

    /// <summary>"10.0.0.9:5432" of "tcp 10.0.0.1:41234 → 10.0.0.9:5432"; null for a socket with no remote endpoint.</summary>
    private static string? Peer(string description)
    {
        var arrow = description.IndexOf(" → ", StringComparison.Ordinal);
        return arrow < 0 ? null : description[(arrow + 3)..];
    }

    /// <summary>
    /// Frames that wait for an answer from the other end: .NET's synchronous socket and stream reads, and the
    /// client libraries' own reads or reply waits, which sit above them or, for a library that reads on its own
    /// threads (StackExchange.Redis), instead of them.
    /// </summary>
    [GeneratedRegex(
        @"^(System\.Net\.Sockets\.Socket\.Receive|System\.Net\.Sockets\.NetworkStream\.Read|System\.Net\.Security\.SslStream\.Read"
        + @"|Npgsql\.Internal\.NpgsqlReadBuffer|StackExchange\.Redis\.ConnectionMultiplexer\.ExecuteSyncImpl"
        + @"|(Microsoft|System)\.Data\.SqlClient\.TdsParserStateObject\.(ReadSni|TryReadNetworkPacket))",
        RegexOptions.CultureInvariant)]
    private static partial Regex AnswerWait();

    /// <summary>Waits for messages the server sends when it has some (PostgreSQL's LISTEN/NOTIFY): waiting for work, not for an answer.</summary>
    [GeneratedRegex(@"^Npgsql\.NpgsqlConnection\.Wait", RegexOptions.CultureInvariant)]
    private static partial Regex PushedWait();
}
