namespace Advisor.Linux.Sockets;

/// <summary>A unix socket as the kernel's socket diagnostics describe it.</summary>
/// <param name="Name">
/// The address it is bound to, or the address of the listener that accepted it (an accepted socket shares its
/// listener's); an abstract name starts with '@', as /proc/net/unix writes it; null when unbound.
/// </param>
/// <param name="Peer">
/// The inode of the socket at the other end; 0 when that end has not been accepted yet or is already closed,
/// null when it has none (a listener, an unconnected socket).
/// </param>
/// <param name="Pending">A listener's connections waiting to be accepted: the inodes of the sockets that connected.</param>
internal sealed record UnixSocket(long Inode, string? Name, bool Listening, long? Peer, IReadOnlyList<long> Pending);
