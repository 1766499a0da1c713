namespace Advisor.Linux.Strace;

/// <summary>
/// Keeps <see cref="StraceFdTable"/> current with what each call did to the process's fds: opened a path, made
/// a socket or a pipe, bound or connected one, duplicated or closed fds. With -y/-yy the kernel's own
/// description of each fd argument is taken as it is.
/// </summary>
internal sealed class StraceFdEffects
{
    private const int CreatFlags = 0x241;    // O_WRONLY|O_CREAT|O_TRUNC

    private readonly StraceFdTable _fds;
    private int _sockets;

    public StraceFdEffects(StraceFdTable fds) => _fds = fds;

    /// <summary>What must be known before the call is aggregated: its fd's -y description, a connect's peer.</summary>
    public void Before(string name, int pid, IReadOnlyList<string> args, bool fdArg0)
    {
        if (fdArg0 && args.Count > 0 && StraceArguments.Decoration(args[0]) is { } decoration && Fd(args[0]) is { } fd)
        {
            var known = _fds.Get(pid, fd);
            var described = Describe(decoration);
            // -y shows a directory's path bare: what its open said (or a listing shows) of it stays.
            if (known?.Description == Core.Aggregation.FdKinds.AsDirectory(described) || name is "getdents" or "getdents64")
            {
                described = Core.Aggregation.FdKinds.AsDirectory(described);
            }

            _fds.Set(pid, fd, (known ?? new FdEntry("")) with { Description = described });
        }

        if (name == "connect" && args.Count > 1 && Fd(args[0]) is { } socket && StraceArguments.SocketAddress(args[1]) is { } peer
            && StraceArguments.Decoration(args[0]) is null)
        {
            var entry = _fds.Get(pid, socket) ?? new FdEntry("", Protocol: peer.StartsWith("unix", StringComparison.Ordinal) ? "unix" : "tcp", Serial: ++_sockets);
            _fds.Set(pid, socket, entry with { Description = Connected(entry, peer) });
        }
    }

    /// <summary>What the call made or undid, once it returned <paramref name="ret"/>.</summary>
    public void After(string name, int pid, IReadOnlyList<string> args, long ret, string result)
    {
        var made = ret >= 0 && ret <= int.MaxValue ? (int)ret : -1;
        var decorated = StraceArguments.Decoration(result) is { } d ? Describe(d) : null;
        switch (name)
        {
            case "open" or "creat" when made >= 0 && args.Count > 0:
                Opened(pid, made, MarkedIfDirectory(decorated ?? StraceArguments.String(args[0]), args), name == "creat" ? CreatFlags : Flags(args, 1));
                break;
            case "openat" or "openat2" when made >= 0 && args.Count > 1:
                Opened(pid, made, MarkedIfDirectory(decorated ?? StraceArguments.String(args[1]), args), name == "openat" ? Flags(args, 2) : null);
                break;
            case "socket" when made >= 0 && args.Count > 1:
                var protocol = Protocol(args[0], args[1]);
                _fds.Set(pid, made, new FdEntry(decorated ?? $"{protocol} socket", Protocol: protocol, Serial: ++_sockets));
                break;
            case "socketpair" when ret == 0 && args.Count > 3:
                foreach (var end in Array(args[3]))
                {
                    _fds.Set(pid, end.Fd, new FdEntry(end.Description ?? "unix socket", Protocol: "unix"));
                }

                break;
            case "pipe" or "pipe2" when ret == 0 && args.Count > 0:
                foreach (var end in Array(args[0]))
                {
                    _fds.Set(pid, end.Fd, new FdEntry(end.Description ?? "pipe:[?]"));
                }

                break;
            case "bind" when ret == 0 && args.Count > 1 && Fd(args[0]) is { } bound && StraceArguments.SocketAddress(args[1]) is { } local:
                var socket = _fds.Get(pid, bound) ?? new FdEntry("", Protocol: "tcp");
                _fds.Set(pid, bound, socket with { Description = $"{socket.Protocol ?? "tcp"} {local}", Local = local });
                break;
            case "accept" or "accept4" when made >= 0 && args.Count > 1:
                var listener = Fd(args[0]) is { } l ? _fds.Get(pid, l) : null;
                var accepted = new FdEntry("", Protocol: listener?.Protocol ?? "tcp", Local: listener?.Local, Serial: ++_sockets);
                var peer = StraceArguments.SocketAddress(args[1]);
                _fds.Set(pid, made, accepted with { Description = decorated ?? (peer is null ? $"{accepted.Protocol} socket" : Connected(accepted, peer)) });
                break;
            case "dup" when made >= 0 && args.Count > 0:
                Copy(pid, args[0], made);
                break;
            case "dup2" or "dup3" when made >= 0 && args.Count > 1:
                Copy(pid, args[0], made);
                break;
            case "fcntl" when made >= 0 && args.Count > 1 && args[1].StartsWith("F_DUPFD", StringComparison.Ordinal):
                Copy(pid, args[0], made);
                break;
            case "close" when args.Count > 0 && Fd(args[0]) is { } closed:
                _fds.Remove(pid, closed);
                break;
            case "close_range" when ret == 0 && args.Count > 1:
                _fds.RemoveRange(pid, (long)Math.Min(StraceArguments.Number(args[0]), int.MaxValue), (long)Math.Min(StraceArguments.Number(args[1]), int.MaxValue));
                break;
            case "clone" or "clone3" or "fork" or "vfork" when made > 0 && !args.Any(a => a.Contains("CLONE_THREAD", StringComparison.Ordinal)):
                _fds.Fork(pid, made);
                break;
            default:
                if (made >= 0 && AnonymousKind(name) is { } kind)
                {
                    var memfd = name == "memfd_create" && args.Count > 0 ? $"/memfd:{StraceArguments.String(args[0])} (deleted)" : null;
                    _fds.Set(pid, made, new FdEntry(decorated ?? memfd ?? kind));
                }

                break;
        }
    }

    private static string? AnonymousKind(string name) => name switch
    {
        "eventfd" or "eventfd2" => "anon_inode:[eventfd]",
        "epoll_create" or "epoll_create1" => "anon_inode:[eventpoll]",
        "timerfd_create" => "anon_inode:[timerfd]",
        "signalfd" or "signalfd4" => "anon_inode:[signalfd]",
        "inotify_init" or "inotify_init1" => "anon_inode:inotify",
        "pidfd_open" => "anon_inode:[pidfd]",
        "memfd_create" => "/memfd: (deleted)",
        _ => null,
    };

    private void Opened(int pid, int fd, string? path, int? flags)
    {
        if (path is not null)
        {
            _fds.Set(pid, fd, new FdEntry(path, flags));
        }
        else
        {
            _fds.Remove(pid, fd);
        }
    }

    /// <summary>
    /// A directory's description ends in '/' (<see cref="Core.Aggregation.FdKinds"/>). A log cannot be asked for a
    /// stat, but opendir (every .NET directory listing) opens with O_DIRECTORY, and strace spells the flag out.
    /// </summary>
    private static string? MarkedIfDirectory(string? path, IReadOnlyList<string> args) =>
        path is not null && args.Any(a => a.Contains("O_DIRECTORY", StringComparison.Ordinal)) ? Core.Aggregation.FdKinds.AsDirectory(path) : path;

    private void Copy(int pid, string from, int to)
    {
        if (Fd(from) is { } source && _fds.Get(pid, source) is { } entry)
        {
            _fds.Set(pid, to, entry);
        }
        else
        {
            _fds.Remove(pid, to);
        }
    }

    private static int? Flags(IReadOnlyList<string> args, int index) =>
        index < args.Count ? (int)StraceArguments.Number(args[index]) : null;

    private static int? Fd(string arg)
    {
        var value = StraceArguments.Number(arg);
        return value <= int.MaxValue && arg.Length > 0 && char.IsAsciiDigit(arg[0]) ? (int)value : null;
    }

    // Each connection is its own socket, as /proc tells them apart by local port: one socket reused for the same
    // peer would otherwise read as one file reopened (open-close churn) rather than connections made anew.
    private static string Connected(FdEntry socket, string peer) =>
        peer.StartsWith("unix", StringComparison.Ordinal) ? peer : $"{socket.Protocol ?? "tcp"} {socket.Local ?? $"(socket {socket.Serial})"} → {peer}";

    private static string Protocol(string domain, string type)
    {
        var stream = type.Contains("SOCK_STREAM", StringComparison.Ordinal);
        return domain switch
        {
            "AF_INET" => stream ? "tcp" : "udp",
            "AF_INET6" => stream ? "tcp6" : "udp6",
            "AF_UNIX" or "AF_LOCAL" => "unix",
            _ => domain.StartsWith("AF_", StringComparison.Ordinal) ? domain[3..].ToLowerInvariant() : "socket",
        };
    }

    /// <summary>"[3, 4]" or "[3&lt;pipe:[81]&gt;, 4&lt;pipe:[81]&gt;]": the fds of pipe/socketpair.</summary>
    private static IEnumerable<(int Fd, string? Description)> Array(string text)
    {
        var inner = text.Trim();
        if (inner.Length < 2 || inner[0] != '[')
        {
            yield break;
        }

        foreach (var element in StraceArguments.Split(inner[1..^1], 2))
        {
            if (Fd(element) is { } fd)
            {
                yield return (fd, StraceArguments.Decoration(element) is { } d ? Describe(d) : null);
            }
        }
    }

    /// <summary>
    /// A -y/-yy decoration in the words /proc descriptions use: "TCP:[127.0.0.1:40000->127.0.0.1:5000]" →
    /// "tcp 127.0.0.1:40000 → 127.0.0.1:5000"; paths and pipes stay as they are.
    /// </summary>
    internal static string Describe(string decoration)
    {
        var colon = decoration.IndexOf(":[", StringComparison.Ordinal);
        if (colon <= 0 || !decoration.EndsWith(']'))
        {
            return decoration;
        }

        var kind = decoration[..colon];
        var inner = decoration[(colon + 2)..^1];
        var protocol = kind switch
        {
            "TCP" => "tcp",
            "TCPv6" => "tcp6",
            "UDP" => "udp",
            "UDPv6" => "udp6",
            "UNIX" or "UNIX-STREAM" or "UNIX-DGRAM" => "unix",
            _ => null,
        };
        if (protocol is null)
        {
            return decoration;
        }

        if (protocol == "unix")
        {
            var quote = inner.IndexOf('"', StringComparison.Ordinal);
            return quote < 0 ? "unix socket" : $"unix {StraceArguments.String(inner[quote..]) ?? inner[quote..]}";
        }

        var arrow = inner.IndexOf("->", StringComparison.Ordinal);
        return arrow < 0 ? $"{protocol} {inner}" : $"{protocol} {inner[..arrow]} → {inner[(arrow + 2)..]}";
    }
}
