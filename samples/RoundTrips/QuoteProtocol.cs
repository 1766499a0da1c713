using System.Buffers.Binary;
using System.Net.Sockets;

namespace RoundTrips;

/// <summary>
/// The sample's own request/response protocol, which no rule can know by name: a frame is a little-endian
/// int32 length and that many bytes. A request carries item numbers (int32 each), the answer one quote
/// (int64) per item, in order.
/// </summary>
internal static class QuoteProtocol
{
    public const int HeaderSize = 4;

    /// <summary>The quote for an item: deterministic, so both modes read the same total.</summary>
    public static long Quote(int item) => 100 + (item * 7919L % 1000);

    /// <summary>Reads exactly <paramref name="buffer"/>'s length from a blocking socket (synchronous Receive).</summary>
    /// <returns>False when the peer closed the connection before the first byte.</returns>
    public static bool ReceiveExactly(Socket socket, Span<byte> buffer)
    {
        for (int got = 0; got < buffer.Length;)
        {
            int read = socket.Receive(buffer[got..]);
            if (read == 0)
            {
                return got == 0 ? false : throw new EndOfStreamException("the connection closed inside a frame");
            }

            got += read;
        }

        return true;
    }

    /// <summary>Reads one frame's payload into <paramref name="buffer"/> (grown as needed).</summary>
    /// <returns>The payload's length, or -1 when the peer closed the connection between frames.</returns>
    public static int ReceiveFrame(Socket socket, ref byte[] buffer)
    {
        Span<byte> header = stackalloc byte[HeaderSize];
        if (!ReceiveExactly(socket, header))
        {
            return -1;
        }

        int length = BinaryPrimitives.ReadInt32LittleEndian(header);
        if (length is < 0 or > 64 << 20)
        {
            throw new InvalidDataException($"bad frame length {length}");
        }

        if (buffer.Length < length)
        {
            buffer = new byte[length];
        }

        return ReceiveExactly(socket, buffer.AsSpan(0, length)) || length == 0
            ? length
            : throw new EndOfStreamException("the connection closed inside a frame");
    }

    /// <summary>Sends a frame whose payload is already in <paramref name="frame"/> after its header: one Send.</summary>
    public static void SendFrame(Socket socket, byte[] frame, int payloadLength)
    {
        BinaryPrimitives.WriteInt32LittleEndian(frame, payloadLength);
        for (int sent = 0; sent < HeaderSize + payloadLength;)
        {
            sent += socket.Send(frame, sent, HeaderSize + payloadLength - sent, SocketFlags.None);
        }
    }
}
