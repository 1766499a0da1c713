using System.Net.Sockets;
using System.Text;

namespace Scenarios;

/// <summary>
/// ADV012 connection-churn: N HTTP requests to an in-process loopback server, each through a new HttpClient
/// (`using var client = new HttpClient()`): every request opens its own TCP connection (socket, connect,
/// close) and throws it away. The fixed twin shares one HttpClient: one keep-alive connection for all of them.
/// </summary>
internal static class ConnectionChurn
{
    private static readonly byte[] Response = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"u8.ToArray();

    /// <returns>Responses that were "ok", and the connections the client opened (its connect calls).</returns>
    public static (long Done, long Syscalls) Run(int requests, bool isFixed) =>
        RunAsync(requests, isFixed).GetAwaiter().GetResult();

    private static async Task<(long Done, long Syscalls)> RunAsync(int requests, bool isFixed)
    {
        await using var server = new LoopbackServer(ServeAsync);
        var url = new Uri($"http://127.0.0.1:{server.Port}/"); // an IP literal: no name resolution
        long done = 0;
        if (isFixed)
        {
            using var shared = new HttpClient();
            for (int i = 0; i < requests; i++)
            {
                done += await shared.GetStringAsync(url).ConfigureAwait(false) == "ok" ? 1 : 0;
            }
        }
        else
        {
            for (int i = 0; i < requests; i++)
            {
                using var client = new HttpClient(); // a new handler, so a new connection pool and connection
                done += await client.GetStringAsync(url).ConfigureAwait(false) == "ok" ? 1 : 0;
            }
        }

        return (done, isFixed ? 1 : requests);
    }

    /// <summary>
    /// HTTP/1.1 with keep-alive, just enough for GET: each request ends with an empty line ("\r\n\r\n") and
    /// gets the same answer; the connection ends when the client closes it.
    /// </summary>
    private static async Task ServeAsync(NetworkStream stream, CancellationToken token)
    {
        var buffer = new byte[4096];
        int matched = 0; // how much of "\r\n\r\n" the bytes so far end with
        for (int read; (read = await stream.ReadAsync(buffer, token).ConfigureAwait(false)) > 0;)
        {
            for (int i = 0; i < read; i++)
            {
                byte b = buffer[i];
                matched = b == (matched % 2 == 0 ? (byte)'\r' : (byte)'\n') ? matched + 1 : (b == '\r' ? 1 : 0);
                if (matched == 4)
                {
                    matched = 0;
                    await stream.WriteAsync(Response, token).ConfigureAwait(false);
                }
            }
        }
    }
}
