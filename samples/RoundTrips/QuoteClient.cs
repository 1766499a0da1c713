using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;

namespace RoundTrips;

/// <summary>
/// ADV019 against a service no rule knows by name (<see cref="QuoteServer"/>, in-process): <see cref="FetchEach"/>
/// sends one request per item and blocks for its answer (synchronous Send and Receive), a round trip per item;
/// <see cref="FetchBatched"/> sends 1000 items per request.
/// </summary>
internal sealed class QuoteClient : IRoundTrips
{
    private const int Chunk = 1000;

    private readonly QuoteServer server = new();
    private readonly Socket socket = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
    private long total;

    /// <summary>Setup: starts the server and connects to it.</summary>
    public QuoteClient()
    {
        // Synchronous calls only: the socket stays blocking, each Send is one sendto and each Receive one recvfrom.
        socket.NoDelay = true;
        try
        {
            socket.Connect(IPAddress.Loopback, server.Port);
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public long Run(int items, bool isFixed) => isFixed ? FetchBatched(items) : FetchEach(items);

    /// <summary>The pathology: one request per item, its answer awaited before the next is sent.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)] // so that stacks name it
    public long FetchEach(int items)
    {
        var request = new byte[QuoteProtocol.HeaderSize + 4];
        var answer = new byte[8];
        long sum = 0;
        for (int i = 0; i < items; i++)
        {
            BinaryPrimitives.WriteInt32LittleEndian(request.AsSpan(QuoteProtocol.HeaderSize), i);
            QuoteProtocol.SendFrame(socket, request, 4);
            Expect(QuoteProtocol.ReceiveFrame(socket, ref answer), 8);
            sum += BinaryPrimitives.ReadInt64LittleEndian(answer);
        }

        total = sum;
        return items;
    }

    /// <summary>The fixed twin: 1000 items per request, one answer each.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public long FetchBatched(int items)
    {
        var request = new byte[QuoteProtocol.HeaderSize + (Chunk * 4)];
        var answer = new byte[Chunk * 8];
        long sum = 0, exchanges = 0;
        for (int first = 0; first < items; first += Chunk)
        {
            int count = Math.Min(Chunk, items - first);
            for (int i = 0; i < count; i++)
            {
                BinaryPrimitives.WriteInt32LittleEndian(request.AsSpan(QuoteProtocol.HeaderSize + (i * 4)), first + i);
            }

            QuoteProtocol.SendFrame(socket, request, count * 4);
            Expect(QuoteProtocol.ReceiveFrame(socket, ref answer), count * 8);
            for (int i = 0; i < count; i++)
            {
                sum += BinaryPrimitives.ReadInt64LittleEndian(answer.AsSpan(i * 8));
            }

            exchanges++;
        }

        total = sum;
        return exchanges;
    }

    /// <summary>The sum of the quotes read.</summary>
    public long Result() => total;

    /// <summary>Closes the connection (the server's thread sees the end and goes back to Accept) and stops the server.</summary>
    public void Dispose()
    {
        socket.Dispose();
        server.Dispose();
    }

    private static void Expect(int length, int expected)
    {
        if (length != expected)
        {
            throw new InvalidDataException($"expected a {expected}-byte answer, got {length}");
        }
    }
}
