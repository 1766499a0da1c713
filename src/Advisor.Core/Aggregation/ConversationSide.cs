using System.Globalization;

namespace Advisor.Core.Aggregation;

/// <summary>
/// Whether this process asks on a socket (a client waiting for a server's answers) or answers (a server): the
/// exchanges of both alternate alike, and only the client's waits are round trips it could save.
/// </summary>
public static class ConversationSide
{
    // Linux's default ephemeral range (net.ipv4.ip_local_port_range): the ports connect picks for a client.
    private const int FirstEphemeralPort = 32768;

    /// <summary>
    /// A stream socket (TCP or unix) on which this process is the client: it called connect. For a connection
    /// made before the recording, its fellows in the process tell: a local port that a listening socket holds,
    /// or that several connections share, is a server's (Kestrel's connections all have port 5000 on their
    /// side); a peer port that several connections share, each from its own local port, is a server's that
    /// this process's pool is connected to; failing both, the client's own port is an ephemeral one and its
    /// peer's is not. A socket accept returned is the server's.
    /// </summary>
    public static bool IsClient(FdSlot slot, in SocketConversation conversation, IReadOnlyList<FdSlot>? fellows = null) =>
        IsClient(slot, conversation, PortUse.Of(fellows ?? [slot]));

    /// <inheritdoc cref="IsClient(FdSlot, in SocketConversation, IReadOnlyList{FdSlot}?)"/>
    /// <param name="ports">How the process's TCP sockets use their ports, counted once for all of them.</param>
    public static bool IsClient(FdSlot slot, in SocketConversation conversation, PortUse ports)
    {
        ArgumentNullException.ThrowIfNull(slot);
        ArgumentNullException.ThrowIfNull(ports);
        if (!IsStream(slot.Description) || conversation.Accepted)
        {
            return false;
        }

        if (conversation.Connected)
        {
            return true;
        }

        if (Ports(slot.Description) is not var (local, remote))
        {
            return false;
        }

        if (ports.Locals(slot.Pid, local) > 1)
        {
            return false; // a listening socket's port (its peer reads :0), or one several connections were accepted on
        }

        if (ports.Remotes(slot.Pid, remote) > 1)
        {
            return true;
        }

        return local >= FirstEphemeralPort && remote < FirstEphemeralPort;
    }

    /// <summary>Per process, how many TCP sockets have each local port and each peer port (their own port apart).</summary>
    public sealed class PortUse
    {
        private readonly Dictionary<(int Pid, int Port), int> _locals = new();
        private readonly Dictionary<(int Pid, int Port), int> _remotes = new();

        public static PortUse Of(IEnumerable<FdSlot> fds)
        {
            ArgumentNullException.ThrowIfNull(fds);
            var use = new PortUse();
            foreach (var fd in fds)
            {
                if (fd.Description.StartsWith("tcp", StringComparison.Ordinal) && Ports(fd.Description) is var (local, remote))
                {
                    use._locals[(fd.Pid, local)] = use._locals.GetValueOrDefault((fd.Pid, local)) + 1;
                    if (local != remote)
                    {
                        use._remotes[(fd.Pid, remote)] = use._remotes.GetValueOrDefault((fd.Pid, remote)) + 1;
                    }
                }
            }

            return use;
        }

        public int Locals(int pid, int port) => _locals.GetValueOrDefault((pid, port));

        public int Remotes(int pid, int port) => _remotes.GetValueOrDefault((pid, port));
    }

    /// <summary>TCP and unix sockets carry conversations; a UDP datagram is a message of its own.</summary>
    public static bool IsStream(string description)
    {
        ArgumentNullException.ThrowIfNull(description);
        return description.StartsWith("tcp", StringComparison.Ordinal) || description.StartsWith("unix", StringComparison.Ordinal);
    }

    /// <summary>The local and remote ports of "tcp 127.0.0.1:41234 → 127.0.0.1:5432"; null for anything else.</summary>
    internal static (int Local, int Remote)? Ports(string description)
    {
        var arrow = description.IndexOf(" → ", StringComparison.Ordinal);
        var space = description.IndexOf(' ', StringComparison.Ordinal);
        if (arrow < 0 || space < 0 || space >= arrow)
        {
            return null;
        }

        return PortOf(description.AsSpan(space + 1, arrow - space - 1)) is { } local && PortOf(description.AsSpan(arrow + 3)) is { } remote
            ? (local, remote)
            : null;
    }

    private static int? PortOf(ReadOnlySpan<char> endpoint)
    {
        var colon = endpoint.LastIndexOf(':');
        return colon >= 0 && int.TryParse(endpoint[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port) ? port : null;
    }
}
