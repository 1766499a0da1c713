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
    /// A stream socket (TCP or unix) on which this process is the client: it called connect; or, for a
    /// connection made before the recording, its own port is an ephemeral one and its peer's is not. A
    /// socket accept returned is the server's.
    /// </summary>
    public static bool IsClient(FdSlot slot, in SocketConversation conversation)
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

        return Ports(slot.Description) is var (local, remote) && local >= FirstEphemeralPort && remote < FirstEphemeralPort;
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
