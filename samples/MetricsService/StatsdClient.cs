using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Text;

namespace MetricsService;

/// <summary>
/// The pathology (ADV002 on a UDP socket): a StatsD client that sends every metric as its own datagram the
/// moment it is reported, as many StatsD clients do. One shared, connected UDP socket; each metric is one
/// <c>sendto</c> syscall of some 20 bytes, so three metrics per request are three syscalls per request.
/// </summary>
internal sealed class StatsdClient : IMetrics
{
    private readonly Socket socket = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private long sent;

    /// <summary>Connected once, so each metric is a plain <c>Send</c>: no address to pass, no lookup.</summary>
    public StatsdClient(IPEndPoint server) => socket.Connect(server);

    public long DatagramsSent => Interlocked.Read(ref sent);

    [MethodImpl(MethodImplOptions.NoInlining)] // so that stacks name it
    public void Increment(string name, long value) => Send(string.Create(CultureInfo.InvariantCulture, $"{name}:{value}|c"));

    [MethodImpl(MethodImplOptions.NoInlining)]
    public void Timing(string name, double milliseconds) => Send(string.Create(CultureInfo.InvariantCulture, $"{name}:{milliseconds:0.###}|ms"));

    public void Dispose() => socket.Dispose();

    private void Send(string line)
    {
        Span<byte> datagram = stackalloc byte[256];
        int length = Encoding.UTF8.GetBytes(line, datagram);
        socket.Send(datagram[..length]); // a blocking UDP socket: one syscall per datagram, never partial
        Interlocked.Increment(ref sent);
    }
}
