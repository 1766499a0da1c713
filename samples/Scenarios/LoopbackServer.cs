using System.Net;
using System.Net.Sockets;

namespace Scenarios;

/// <summary>
/// The in-process server of the network scenarios: a TcpListener on 127.0.0.1 and a free port that accepts
/// connections and serves each one with the scenario's protocol, all asynchronously on the thread pool (it
/// never blocks a thread), until it is disposed. Loopback only.
/// </summary>
internal sealed class LoopbackServer : IAsyncDisposable
{
    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource stop = new();
    private readonly List<Task> connections = [];
    private readonly Func<NetworkStream, CancellationToken, Task> serve;
    private readonly Task acceptLoop;

    /// <param name="serve">Serves one connection; it returns when the client has closed it.</param>
    public LoopbackServer(Func<NetworkStream, CancellationToken, Task> serve)
    {
        this.serve = serve;
        listener.Start();
        Port = ((IPEndPoint)listener.LocalEndpoint).Port;
        acceptLoop = Task.Run(AcceptAsync);
    }

    public int Port { get; }

    /// <summary>
    /// A request/response protocol: answers each <paramref name="messageSize"/>-byte request with as many
    /// bytes (the request, echoed) after <paramref name="serviceTime"/>, an awaited delay, until the client closes.
    /// </summary>
    public static Func<NetworkStream, CancellationToken, Task> EchoAfter(int messageSize, TimeSpan serviceTime) =>
        async (stream, token) =>
        {
            var message = new byte[messageSize];
            while (await stream.ReadAtLeastAsync(message, messageSize, throwOnEndOfStream: false, token).ConfigureAwait(false) == messageSize)
            {
                await Task.Delay(serviceTime, token).ConfigureAwait(false);
                await stream.WriteAsync(message, token).ConfigureAwait(false);
            }
        };

    /// <summary>Stops accepting, cancels the connections still open, and waits until every one has ended.</summary>
    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync().ConfigureAwait(false);
        listener.Stop();
        await acceptLoop.ConfigureAwait(false);
        Task[] open;
        lock (connections)
        {
            open = [.. connections];
        }

        await Task.WhenAll(open).ConfigureAwait(false);
        listener.Dispose();
        stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        try
        {
            while (true)
            {
                var socket = await listener.AcceptSocketAsync(stop.Token).ConfigureAwait(false);
                lock (connections)
                {
                    connections.Add(ServeAsync(socket));
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Stopped.
        }
    }

    private async Task ServeAsync(Socket socket)
    {
        using var stream = new NetworkStream(socket, ownsSocket: true);
        try
        {
            await serve(stream, stop.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or SocketException)
        {
            // Stopped, or the client went away.
        }
    }
}
