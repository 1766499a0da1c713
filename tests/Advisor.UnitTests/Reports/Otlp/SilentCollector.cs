using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Advisor.UnitTests.Reports.Otlp;

/// <summary>
/// A collector that hangs: it accepts every connection and keeps it open, never reading a byte nor answering, as a
/// wedged collector or a black-holing proxy would.
/// </summary>
public sealed class SilentCollector : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly ConcurrentQueue<Socket> _held = new();
    private readonly Task _accepting;

    public SilentCollector()
    {
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _accepting = Task.Run(Accept);
    }

    public int Port { get; }

    /// <summary>The base endpoint, as <c>--otlp</c> takes it.</summary>
    public string Url => $"http://127.0.0.1:{Port}";

    /// <summary>Connections accepted so far: an export in flight holds one.</summary>
    public int Accepted => _held.Count;

    public void Dispose()
    {
        _listener.Stop();
        _accepting.Wait(TimeSpan.FromSeconds(10));
        foreach (var socket in _held)
        {
            socket.Dispose();
        }
    }

    private async Task Accept()
    {
        while (true)
        {
            try
            {
                _held.Enqueue(await _listener.AcceptSocketAsync().ConfigureAwait(false));
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                return; // stopped
            }
        }
    }
}
