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
    public static bool IsClient(FdSlot slot, in SocketConversation conversation, IReadOnlyList<FdSlot>? fellows = null)
    {
        ArgumentNullException.ThrowIfNull(slot);
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

        var others = (fellows ?? []).Where(f => f.Pid == slot.Pid && f.Id != slot.Id && f.Description.StartsWith("tcp", StringComparison.Ordinal))
            .Select(f => Ports(f.Description))
            .OfType<(int Local, int Remote)>()
            .ToList();
        if (others.Any(o => o.Local == local))
        {
            return false; // a listening socket's port (its peer reads :0), or one several connections were accepted on
        }

        if (others.Any(o => o.Remote == remote && o.Local != remote))
        {
            return true;
        }

        return local >= FirstEphemeralPort && remote < FirstEphemeralPort;
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
