using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;

namespace Advisor.Linux.Sockets;

/// <summary>
/// Asks the kernel about one unix socket by inode, over NETLINK_SOCK_DIAG (as <c>ss -x</c> does): its name,
/// whether it listens, and the socket at its other end, which nothing under /proc tells. No privilege is
/// needed; only sockets of the caller's network namespace are found.
/// </summary>
internal static unsafe partial class UnixSocketDiag
{
    private const int AfNetlink = 16;
    private const int AfUnix = 1;
    private const int SockDgram = 2;
    private const int SockCloexec = 0x80000;
    private const int NetlinkSockDiag = 4;
    private const int MsgDontWait = 0x40;

    private const ushort SockDiagByFamily = 20;
    private const ushort NlmFRequest = 1;
    private const ushort NlmsgError = 2;

    private const uint ShowName = 0x1;
    private const uint ShowPeer = 0x4;
    private const uint ShowIcons = 0x8;

    private const ushort AttrName = 0;
    private const ushort AttrPeer = 2;
    private const ushort AttrIcons = 3;

    private const byte TcpListen = 10;

    private const int HeaderSize = 16; // struct nlmsghdr
    private const int RequestSize = 24; // struct unix_diag_req
    private const int MessageSize = 16; // struct unix_diag_msg

    /// <summary>What the kernel knows of the socket, or null when there is no such unix socket (closed, or in another network namespace).</summary>
    public static UnixSocket? Query(long inode)
    {
        if (inode is <= 0 or > uint.MaxValue)
        {
            return null;
        }

        var fd = Socket(AfNetlink, SockDgram | SockCloexec, NetlinkSockDiag);
        if (fd < 0)
        {
            return null;
        }

        try
        {
            Span<byte> request = stackalloc byte[HeaderSize + RequestSize];
            request.Clear();
            BinaryPrimitives.WriteUInt32LittleEndian(request, HeaderSize + RequestSize);
            BinaryPrimitives.WriteUInt16LittleEndian(request[4..], SockDiagByFamily);
            BinaryPrimitives.WriteUInt16LittleEndian(request[6..], NlmFRequest); // no NLM_F_DUMP: one socket, by inode
            request[HeaderSize] = AfUnix;
            BinaryPrimitives.WriteUInt32LittleEndian(request[(HeaderSize + 4)..], uint.MaxValue); // every state
            BinaryPrimitives.WriteUInt32LittleEndian(request[(HeaderSize + 8)..], (uint)inode);
            BinaryPrimitives.WriteUInt32LittleEndian(request[(HeaderSize + 12)..], ShowName | ShowPeer | ShowIcons);
            BinaryPrimitives.WriteUInt64LittleEndian(request[(HeaderSize + 16)..], ulong.MaxValue); // no cookie to check
            fixed (byte* sent = request)
            {
                if (Send(fd, sent, (nuint)request.Length, 0) != request.Length)
                {
                    return null;
                }
            }

            // The kernel answers within the send: the reply is queued by now, and waiting could only hang.
            Span<byte> reply = stackalloc byte[8192];
            nint received;
            fixed (byte* buffer = reply)
            {
                received = Receive(fd, buffer, (nuint)reply.Length, MsgDontWait);
            }

            return received < HeaderSize + MessageSize ? null : Parse(reply[..(int)received]);
        }
        finally
        {
            _ = Native.LibC.Close(fd);
        }
    }

    /// <summary>A reply (nlmsghdr, unix_diag_msg, then attributes), or null for an error reply (ENOENT: no such socket).</summary>
    internal static UnixSocket? Parse(ReadOnlySpan<byte> reply)
    {
        var length = (int)Math.Min(BinaryPrimitives.ReadUInt32LittleEndian(reply), (uint)reply.Length);
        if (BinaryPrimitives.ReadUInt16LittleEndian(reply[4..]) != SockDiagByFamily || length < HeaderSize + MessageSize)
        {
            return null;
        }

        var message = reply[HeaderSize..];
        var listening = message[2] == TcpListen;
        var inode = BinaryPrimitives.ReadUInt32LittleEndian(message[4..]);
        string? name = null;
        long? peer = null;
        var pending = new List<long>();
        for (var at = HeaderSize + MessageSize; at + 4 <= length;)
        {
            var attrLength = BinaryPrimitives.ReadUInt16LittleEndian(reply[at..]);
            if (attrLength < 4 || at + attrLength > length)
            {
                break;
            }

            var payload = reply.Slice(at + 4, attrLength - 4);
            switch (BinaryPrimitives.ReadUInt16LittleEndian(reply[(at + 2)..]))
            {
                case AttrName when payload.Length > 0:
                    name = NameOf(payload);
                    break;
                case AttrPeer when payload.Length >= 4:
                    peer = BinaryPrimitives.ReadUInt32LittleEndian(payload);
                    break;
                case AttrIcons:
                    for (var i = 0; i + 4 <= payload.Length; i += 4)
                    {
                        pending.Add(BinaryPrimitives.ReadUInt32LittleEndian(payload[i..]));
                    }

                    break;
            }

            at += (attrLength + 3) & ~3;
        }

        return new UnixSocket(inode, name, listening, peer, pending);
    }

    /// <summary>A path without its terminating NUL; an abstract name with '@' for its leading NUL, as /proc/net/unix shows it.</summary>
    private static string NameOf(ReadOnlySpan<byte> address)
    {
        if (address[0] == 0)
        {
            return "@" + Encoding.UTF8.GetString(address[1..]);
        }

        var end = address.IndexOf((byte)0);
        return Encoding.UTF8.GetString(end < 0 ? address : address[..end]);
    }

    [LibraryImport("libc", EntryPoint = "socket", SetLastError = true)]
    private static partial int Socket(int domain, int type, int protocol);

    [LibraryImport("libc", EntryPoint = "send", SetLastError = true)]
    private static partial nint Send(int fd, byte* buffer, nuint length, int flags);

    [LibraryImport("libc", EntryPoint = "recv", SetLastError = true)]
    private static partial nint Receive(int fd, byte* buffer, nuint length, int flags);
}
