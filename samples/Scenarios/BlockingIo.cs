using System.Net;
using System.Net.Sockets;

namespace Scenarios;

/// <summary>
/// ADV013 blocking-io-on-threadpool: N requests to a loopback server that answers each one after 20 ms,
/// made by 8 thread-pool work items, each with its own TcpClient used synchronously (Connect, Write, Read):
/// every request parks a pool worker in the kernel (recvmsg) for the 20 ms. Like services that block, it
/// raises the pool's minimum so the blocked workers do not starve the pool (the server needs it too; starving
/// is ADV005's sample, and would stretch the run from under 1 s to about 7 s on 2 cores). The fixed twin
/// awaits WriteAsync/ReadAsync instead, on the default pool: the wait is in the runtime's epoll thread, no
/// worker blocks.
/// </summary>
internal static class BlockingIo
{
    private const int MessageSize = 16;
    private const int Clients = 8;
    private static readonly TimeSpan ServiceTime = TimeSpan.FromMilliseconds(20);

    /// <returns>Responses received, and the synchronous (blocking) Read calls the pathological clients made.</returns>
    public static (long Done, long Syscalls) Run(int requests, bool isFixed) =>
        RunAsync(requests, isFixed).GetAwaiter().GetResult();

    private static async Task<(long Done, long Syscalls)> RunAsync(int requests, bool isFixed)
    {
        int clients = Math.Min(Clients, requests);
        ThreadPool.GetMinThreads(out int minWorkers, out int minIo);
        if (!isFixed)
        {
            ThreadPool.SetMinThreads(Math.Max(minWorkers, clients + 2), minIo); // the blocked clients, and room for the server
        }

        try
        {
            return await RunClientsAsync(requests, clients, isFixed).ConfigureAwait(false);
        }
        finally
        {
            ThreadPool.SetMinThreads(minWorkers, minIo);
        }
    }

    private static async Task<(long Done, long Syscalls)> RunClientsAsync(int requests, int clients, bool isFixed)
    {
        await using var server = new LoopbackServer(LoopbackServer.EchoAfter(MessageSize, ServiceTime));
        long done = 0, blockingReads = 0;
        var work = new Task[clients];
        for (int c = 0; c < clients; c++)
        {
            int share = (requests / clients) + (c < requests % clients ? 1 : 0);
            work[c] = isFixed
                ? Task.Run(async () =>
                {
                    using var client = new TcpClient();
                    await client.ConnectAsync(IPAddress.Loopback, server.Port).ConfigureAwait(false);
                    var stream = client.GetStream();
                    var message = new byte[MessageSize];
                    for (int i = 0; i < share; i++)
                    {
                        await stream.WriteAsync(message).ConfigureAwait(false);
                        await stream.ReadExactlyAsync(message).ConfigureAwait(false);
                        Interlocked.Increment(ref done);
                    }
                })
                : Task.Run(() =>
                {
                    // Synchronous only: one async call would make the runtime switch this socket to
                    // non-blocking and emulate the blocking calls (a futex wait instead of a blocking recvmsg).
                    using var client = new TcpClient();
                    client.Connect(IPAddress.Loopback, server.Port);
                    var stream = client.GetStream();
                    var message = new byte[MessageSize];
                    for (int i = 0; i < share; i++)
                    {
                        stream.Write(message);
                        for (int got = 0; got < MessageSize;)
                        {
                            int read = stream.Read(message.AsSpan(got)); // blocks the worker ~20 ms
                            Interlocked.Increment(ref blockingReads);
                            got += read > 0 ? read : throw new EndOfStreamException("the server closed the connection");
                        }

                        Interlocked.Increment(ref done);
                    }
                });
        }

        await Task.WhenAll(work).ConfigureAwait(false);
        return (done, blockingReads);
    }
}
