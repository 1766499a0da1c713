using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace RoundTrips;

/// <summary>
/// The in-process server of --peer own: a listener on 127.0.0.1 and a free port, served by its own thread
/// (<c>quote-server</c>) with synchronous socket calls, one connection at a time, until disposed. Each request
/// costs it about 75 µs of work (a spin: the lookup a real service would do), so each round trip has a wait.
/// </summary>
internal sealed class QuoteServer : IDisposable
{
    private static readonly TimeSpan WorkPerRequest = TimeSpan.FromMicroseconds(75);

    private readonly Socket listener = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
    private readonly Thread thread;

    public QuoteServer()
    {
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        Port = ((IPEndPoint)listener.LocalEndPoint!).Port;
        thread = new Thread(Serve) { Name = "quote-server", IsBackground = true };
        thread.Start();
    }

    public int Port { get; }

    /// <summary>Requests answered, for the summary's cross-check.</summary>
    public long Requests { get; private set; }

    /// <summary>Closes the listener (ending a pending Accept) and waits for the thread, which ends when its client has closed.</summary>
    public void Dispose()
    {
        listener.Dispose();
        if (!thread.Join(TimeSpan.FromSeconds(10)))
        {
            throw new IOException("the quote server did not stop within 10 s");
        }
    }

    private void Serve()
    {
        try
        {
            while (true)
            {
                using var connection = listener.Accept();
                connection.NoDelay = true;
                Answer(connection);
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or IOException or InvalidDataException)
        {
            // Stopped (the listener closed), or the client went away mid-frame.
        }
    }

    private void Answer(Socket connection)
    {
        var request = new byte[64];
        var answer = new byte[QuoteProtocol.HeaderSize + 8];
        for (int length; (length = QuoteProtocol.ReceiveFrame(connection, ref request)) >= 0;)
        {
            Work();
            int items = length / 4;
            int answerLength = items * 8;
            if (answer.Length < QuoteProtocol.HeaderSize + answerLength)
            {
                answer = new byte[QuoteProtocol.HeaderSize + answerLength];
            }

            for (int i = 0; i < items; i++)
            {
                int item = BinaryPrimitives.ReadInt32LittleEndian(request.AsSpan(i * 4));
                BinaryPrimitives.WriteInt64LittleEndian(answer.AsSpan(QuoteProtocol.HeaderSize + (i * 8)), QuoteProtocol.Quote(item));
            }

            QuoteProtocol.SendFrame(connection, answer, answerLength);
            Requests++;
        }
    }

    /// <summary>The request's cost on the server: spun, not slept (a sleep would be a timer's, not the work's, millisecond).</summary>
    private static void Work()
    {
        long start = Stopwatch.GetTimestamp();
        while (Stopwatch.GetElapsedTime(start) < WorkPerRequest)
        {
            Thread.SpinWait(20);
        }
    }
}
