using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Scenarios;

/// <summary>
/// ADV018 busy-event-loop: a client waits for each of N responses (a loopback responder answers after
/// Task.Delay(1)) by spinning on Socket.Poll with a zero timeout: one poll syscall that returns "not ready"
/// at once, thousands of times per response. The fixed twin calls Poll once per response with a timeout,
/// which sleeps in the kernel until the data is there.
/// </summary>
internal static class BusyPoll
{
    private const int MessageSize = 16;
    private const int WaitMicroseconds = 5_000_000; // the fixed twin's Poll timeout, and the spin's limit
    private static readonly TimeSpan ServiceTime = TimeSpan.FromMilliseconds(1);

    /// <returns>Responses received, and the Poll calls (poll syscalls) the client made.</returns>
    public static (long Done, long Syscalls) Run(int requests, bool isFixed)
    {
        var server = new LoopbackServer(LoopbackServer.EchoAfter(MessageSize, ServiceTime));
        long done = 0, polls = 0;
        try
        {
            // Synchronous calls only (Connect, Send, Poll, Receive): the socket stays blocking, and each Poll
            // is one poll syscall.
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            socket.Connect(IPAddress.Loopback, server.Port);
            var message = new byte[MessageSize];
            var limit = TimeSpan.FromMicroseconds(WaitMicroseconds);
            for (int i = 0; i < requests; i++)
            {
                socket.Send(message);
                if (isFixed)
                {
                    polls++;
                    if (!socket.Poll(WaitMicroseconds, SelectMode.SelectRead))
                    {
                        throw new IOException("no response within 5 s");
                    }
                }
                else
                {
                    long start = Stopwatch.GetTimestamp();
                    do
                    {
                        polls++;
                        if (Stopwatch.GetElapsedTime(start) > limit)
                        {
                            throw new IOException("no response within 5 s");
                        }
                    }
                    while (!socket.Poll(0, SelectMode.SelectRead)); // returns at once: not ready yet
                }

                for (int got = 0; got < MessageSize;)
                {
                    int read = socket.Receive(message, got, MessageSize - got, SocketFlags.None);
                    got += read > 0 ? read : throw new EndOfStreamException("the responder closed the connection");
                }

                done++;
            }
        }
        finally
        {
            server.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }

        return (done, polls);
    }
}
