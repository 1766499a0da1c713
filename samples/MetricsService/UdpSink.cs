using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace MetricsService;

/// <summary>
/// The StatsD server, in-process: a thread that receives datagrams on a loopback UDP port and counts them,
/// and sums the <c>orders.requests</c> counter as a StatsD server would, to show that both clients deliver the
/// same totals. It stops on a stop datagram it sends itself, after every metric datagram (loopback UDP
/// queues them in order).
/// </summary>
internal sealed class UdpSink : IDisposable
{
    private static readonly byte[] StopMessage = "#stop"u8.ToArray();
    private static readonly byte[] RequestsPrefix = "orders.requests:"u8.ToArray();

    private readonly Socket socket = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private readonly Thread receiver;
    private long datagrams, requests;

    public UdpSink()
    {
        // Room for bursts while the receiver is off the CPU (the kernel caps it at net.core.rmem_max).
        socket.ReceiveBufferSize = 4 << 20;
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        EndPoint = (IPEndPoint)socket.LocalEndPoint!;
        receiver = new Thread(Receive) { Name = "statsd-sink", IsBackground = true };
        receiver.Start();
    }

    public IPEndPoint EndPoint { get; }

    /// <summary>Datagrams received (the stop message not counted); final after <see cref="Stop"/>.</summary>
    public long Datagrams => Interlocked.Read(ref datagrams);

    /// <summary>The <c>orders.requests</c> counter's total over every datagram received.</summary>
    public long CountedRequests => Interlocked.Read(ref requests);

    /// <summary>
    /// Sends the stop message and waits for the receiver to take it. Sent again every 100 ms in case a full
    /// receive buffer dropped it; after 5 s the receiver is abandoned (a background thread) and the counts
    /// are what it had.
    /// </summary>
    public void Stop()
    {
        for (int attempt = 0; attempt < 50 && receiver.IsAlive; attempt++)
        {
            socket.SendTo(StopMessage, EndPoint);
            receiver.Join(TimeSpan.FromMilliseconds(100));
        }
    }

    public void Dispose() => socket.Dispose();

    private void Receive()
    {
        var buffer = new byte[64 * 1024];
        try
        {
            while (true)
            {
                var datagram = buffer.AsSpan(0, socket.Receive(buffer));
                if (datagram.SequenceEqual(StopMessage))
                {
                    return;
                }

                Interlocked.Increment(ref datagrams);
                Interlocked.Add(ref requests, RequestsIn(datagram));
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // Disposed while abandoned by Stop: the counts stay as they were.
        }
    }

    /// <summary>The values of the <c>orders.requests:N|c</c> lines of one datagram.</summary>
    private static long RequestsIn(ReadOnlySpan<byte> datagram)
    {
        long total = 0;
        foreach (var range in datagram.Split((byte)'\n'))
        {
            var line = datagram[range];
            int bar = line.IndexOf((byte)'|');
            if (line.StartsWith(RequestsPrefix) && bar > RequestsPrefix.Length
                && long.TryParse(line[RequestsPrefix.Length..bar], NumberStyles.None, CultureInfo.InvariantCulture, out long value))
            {
                total += value;
            }
        }

        return total;
    }
}
