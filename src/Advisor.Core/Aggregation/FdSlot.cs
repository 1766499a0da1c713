namespace Advisor.Core.Aggregation;

/// <summary>
/// An fd as the analysis sees it: a number in a process together with what it referred to. An fd number
/// reused for another file becomes another slot; the same path reopened under the same number is the same.
/// </summary>
/// <param name="Opens">How many times the fd was (re)opened as this: seen anew after a close.</param>
/// <param name="Resolved">False when the fd was closed before /proc could say what it was.</param>
/// <param name="Observer">
/// The observer's: a socket between the target's runtime and this tool (<see cref="Targets.ITargetIntrospector.IsObserverFd"/>),
/// whose calls the target makes only because it is observed.
/// </param>
public sealed record FdSlot(int Id, int Pid, int Fd, string Description, long Opens = 0, bool Resolved = true, bool Observer = false)
{
    private const string Arrow = " → ";

    /// <summary>A socket of any family, as /proc described it ("tcp …", "udp …", "unix …", "socket:[…]").</summary>
    public bool IsSocket => IsSocketDescription(Description);

    public static bool IsSocketDescription(string description)
    {
        ArgumentNullException.ThrowIfNull(description);
        return description.StartsWith("socket:", StringComparison.Ordinal) || description.StartsWith("tcp", StringComparison.Ordinal)
            || description.StartsWith("udp", StringComparison.Ordinal) || description.StartsWith("unix", StringComparison.Ordinal);
    }

    /// <summary>
    /// The peer of a connected socket ("127.0.0.1:5000"), from descriptions such as
    /// "tcp 127.0.0.1:41234 → 127.0.0.1:5000"; null for files, unix sockets and sockets with no peer yet.
    /// </summary>
    public string? RemoteEndpoint
    {
        get
        {
            var arrow = Description.IndexOf(Arrow, StringComparison.Ordinal);
            var peer = arrow < 0 ? null : Description[(arrow + Arrow.Length)..];
            return peer is null || peer.EndsWith(":0", StringComparison.Ordinal) ? null : peer;
        }
    }
}
