using System.Globalization;
using System.Net;

namespace Advisor.Linux.Procfs;

/// <summary>
/// Socket inode → endpoint, from the target's network namespace view (/proc/PID/net/tcp, tcp6, udp, udp6,
/// unix), so a finding says "tcp 127.0.0.1:5000 → 127.0.0.1:41234" rather than "socket:[81234]".
/// </summary>
internal static class SocketTable
{
    public static Dictionary<long, string> Read(int pid)
    {
        var endpoints = new Dictionary<long, string>();
        foreach (var (file, protocol) in new[] { ("tcp", "tcp"), ("tcp6", "tcp6"), ("udp", "udp"), ("udp6", "udp6") })
        {
            foreach (var line in Lines($"/proc/{pid}/net/{file}").Skip(1))
            {
                // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode
                var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (fields.Length > 9 && long.TryParse(fields[9], NumberStyles.None, CultureInfo.InvariantCulture, out var inode))
                {
                    endpoints[inode] = $"{protocol} {Endpoint(fields[1])} → {Endpoint(fields[2])}";
                }
            }
        }

        foreach (var line in Lines($"/proc/{pid}/net/unix").Skip(1))
        {
            // Num RefCount Protocol Flags Type St Inode [Path]
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length > 6 && long.TryParse(fields[6], NumberStyles.None, CultureInfo.InvariantCulture, out var inode))
            {
                endpoints[inode] = fields.Length > 7 ? $"unix {fields[7]}" : "unix socket";
            }
        }

        return endpoints;
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
