using System.Globalization;
using System.Net;

namespace Advisor.Linux.Procfs;

/// <summary>
/// Socket inode → endpoint, from the target's network namespace view (/proc/PID/net/tcp, tcp6, udp, udp6,
/// unix), so a finding says "tcp 127.0.0.1:5000 → 127.0.0.1:41234" rather than "socket:[81234]".
/// </summary>
internal static class SocketTable
{
    /// <summary>TCP_LISTEN in the st column of /proc/net/tcp.</summary>
    private const string TcpListen = "0A";

    /// <summary>__SO_ACCEPTCON in the Flags column of /proc/net/unix: a listening socket.</summary>
    private const long UnixAcceptConnections = 0x10000;

    public static Dictionary<long, string> Read(int pid) => Entries(pid).ToDictionary(e => e.Key, e => e.Value.Description);

    /// <summary>Socket inode → its endpoint, whether it listens, and the bytes received and not yet read.</summary>
    public static Dictionary<long, SocketEntry> Entries(int pid)
    {
        var entries = new Dictionary<long, SocketEntry>();
        foreach (var (file, protocol) in new[] { ("tcp", "tcp"), ("tcp6", "tcp6"), ("udp", "udp"), ("udp6", "udp6") })
        {
            foreach (var line in Lines($"/proc/{pid}/net/{file}").Skip(1))
            {
                // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode
                var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (fields.Length > 9 && long.TryParse(fields[9], NumberStyles.None, CultureInfo.InvariantCulture, out var inode))
                {
                    var queues = fields[4].Split(':');
                    var unread = queues.Length == 2 && long.TryParse(queues[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var rx) ? rx : 0;
                    entries[inode] = new SocketEntry($"{protocol} {Endpoint(fields[1])} → {Endpoint(fields[2])}", protocol.StartsWith("tcp", StringComparison.Ordinal) && fields[3] == TcpListen, unread);
                }
            }
        }

        foreach (var line in Lines($"/proc/{pid}/net/unix").Skip(1))
        {
            // Num RefCount Protocol Flags Type St Inode [Path]
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length > 6 && long.TryParse(fields[6], NumberStyles.None, CultureInfo.InvariantCulture, out var inode))
            {
                var listening = long.TryParse(fields[3], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var flags) && (flags & UnixAcceptConnections) != 0;
                entries[inode] = new SocketEntry(fields.Length > 7 ? $"unix {fields[7]}" : "unix socket", listening, 0);
            }
        }

        return entries;
    }

    /// <summary>Decodes the kernel's hex "ADDR:PORT" (address in host byte order, 32-bit words).</summary>
    internal static string Endpoint(string hex)
    {
        var colon = hex.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0)
        {
            return hex;
        }

        var port = int.Parse(hex.AsSpan(colon + 1), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        var addressHex = hex[..colon];
        var bytes = new byte[addressHex.Length / 2];
        for (var word = 0; word < bytes.Length / 4; word++)
        {
            var value = uint.Parse(addressHex.AsSpan(word * 8, 8), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            BitConverter.TryWriteBytes(bytes.AsSpan(word * 4, 4), value);
        }

        var address = new IPAddress(bytes);
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        return address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6
            ? $"[{address}]:{port}"
            : $"{address}:{port}";
    }

    private static IEnumerable<string> Lines(string path)
    {
        try
        {
            return File.ReadAllLines(path);
        }
        catch (IOException)
        {
            return [];
        }
        catch (UnauthorizedAccessException)
        {
            return [];
        }
    }
}

/// <summary>One socket of the tables, by inode.</summary>
/// <param name="Description">"tcp 127.0.0.1:41234 → 127.0.0.1:5432".</param>
/// <param name="UnreadBytes">The receive queue (TCP); 0 where the table does not say.</param>
internal readonly record struct SocketEntry(string Description, bool Listening, long UnreadBytes);
