using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;

namespace Hang;

/// <summary>
/// ADV015: a client thread ("fetcher") sends a request to a loopback server and reads the answer with a
/// synchronous NetworkStream.Read and no timeout; the server accepts and never answers, so the fetcher waits
/// in the kernel (recvmsg) forever. Only synchronous socket calls on the client, so the socket stays
/// blocking and the wait is a real blocking read. Released by the server sending the answer.
/// </summary>
internal sealed class SocketRead : IHangScenario
{
    private const int MessageSize = 16;
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly ManualResetEventSlim _answer = new();
    private readonly Thread _server;
    private readonly Thread _fetcher;
    private long _received;

    public SocketRead()
    {
        _server = new Thread(Serve) { Name = "server" };
        _fetcher = new Thread(() => _received = Fetcher.Fetch(((IPEndPoint)_listener.LocalEndpoint).Port)) { Name = "fetcher" };
    }

    public void Start()
    {
        _listener.Start();
        _server.Start();
        _fetcher.Start();
        Thread.Sleep(300); // connected, request sent, waiting for the answer
    }

    public void Release() => _answer.Set();

    public (long Completed, long Result) Finish(TimeSpan timeout)
    {
        bool done = _fetcher.Join(timeout) && _server.Join(timeout);
        return (done && _received == MessageSize ? 1 : -1, _received);
    }

    public void Dispose()
    {
        _listener.Stop();
        _answer.Dispose();
    }

    private void Serve()
    {
        using var peer = _listener.AcceptSocket();
        var request = new byte[MessageSize];
        for (int got = 0; got < MessageSize;)
        {
            int read = peer.Receive(request.AsSpan(got));
            got += read > 0 ? read : throw new IOException("the client closed the connection");
        }

        _answer.Wait(); // the upstream that never answers, until released
        peer.Send(request);
    }
}

internal static class Fetcher
{
    /// <returns>Bytes of the answer read.</returns>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static long Fetch(int port)
    {
        using var client = new TcpClient();
        client.Connect(IPAddress.Loopback, port);
        var stream = client.GetStream();
        var message = new byte[16];
        stream.Write(message);
        int got = 0;
        while (got < message.Length)
        {
            int read = stream.Read(message.AsSpan(got)); // no ReadTimeout: waits as long as the server does
            if (read == 0)
            {
                break;
            }

            got += read;
        }

        return got;
    }
}
