using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;
using Advisor.Linux.Procfs;
using Advisor.Linux.Sockets;

namespace Advisor.UnitTests.Linux;

/// <summary>
/// Which unix sockets are the observer's, on real sockets of this process: here the test is both the "target"
/// (the socket asked about) and the observer (<see cref="Environment.ProcessId"/>), or, for contrast, an observer
/// that holds none of them (a pid that does not exist).
/// </summary>
public sealed class ObserverSocketsTests : IDisposable
{
    private const int NoSuchProcess = int.MaxValue;

    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("advisor-observer-");
    private readonly List<Socket> _sockets = [];

    public void Dispose()
    {
        foreach (var socket in _sockets)
        {
            socket.Dispose();
        }

        _dir.Delete(recursive: true);
    }

    private static long InodeOf(Socket socket) =>
        SocketFds.Inode(new FileInfo($"/proc/self/fd/{socket.SafeHandle.DangerousGetHandle()}").LinkTarget) ?? throw new InvalidOperationException("not a socket");

    private Socket Listen(string name)
    {
        var listener = Track(new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified));
        listener.Bind(new UnixDomainSocketEndPoint(Path.Combine(_dir.FullName, name)));
        listener.Listen(4);
        return listener;
    }

    private Socket Connect(Socket listener)
    {
        var client = Track(new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified));
        client.Connect(listener.LocalEndPoint!);
        return client;
    }

    private Socket Track(Socket socket)
    {
        _sockets.Add(socket);
        return socket;
    }

    [Fact]
    public void A_connection_to_a_socket_the_observer_listens_on_is_its_before_and_after_it_is_accepted()
    {
        var port = Listen("dotnet-advisor-1-port.socket"); // as `run` gives the runtime DOTNET_DiagnosticPorts
        var runtime = Connect(port);

        new ObserverSockets().IsObserver(InodeOf(runtime)).ShouldBeTrue("waiting in the listener's queue");
        new ObserverSockets(NoSuchProcess).IsObserver(InodeOf(runtime)).ShouldBeFalse();

        Track(port.Accept());

        new ObserverSockets().IsObserver(InodeOf(runtime)).ShouldBeTrue("accepted");
        new ObserverSockets(NoSuchProcess).IsObserver(InodeOf(runtime)).ShouldBeFalse();
    }

    [Fact]
    public void The_runtimes_diagnostic_server_is_the_observers_and_so_are_connections_from_the_observer()
    {
        var server = Listen("dotnet-diagnostic-4321-98765-socket");
        Connect(server);
        var session = Track(server.Accept());

        new ObserverSockets(NoSuchProcess).IsObserver(InodeOf(server)).ShouldBeTrue("only tools use the server");
        new ObserverSockets().IsObserver(InodeOf(session)).ShouldBeTrue();
        new ObserverSockets(NoSuchProcess).IsObserver(InodeOf(session)).ShouldBeFalse("another tool's session");
    }

    [Fact]
    public void The_runtimes_diagnostic_server_is_the_observers_from_its_bind_on()
    {
        var server = Track(new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified));
        server.Bind(new UnixDomainSocketEndPoint(Path.Combine(_dir.FullName, "dotnet-diagnostic-4321-98765-socket")));

        new ObserverSockets(NoSuchProcess).IsObserver(InodeOf(server)).ShouldBeTrue("bound, not listening yet");
    }

    [Fact]
    public void The_apps_own_server_and_its_connections_are_not_the_observers()
    {
        var server = Listen("app.sock");
        var client = Connect(server);
        var accepted = Track(server.Accept());
        var observer = new ObserverSockets();

        // This process listens on app.sock too, but as the target: a bound socket is the target serving.
        observer.IsObserver(InodeOf(server)).ShouldBeFalse();
        observer.IsObserver(InodeOf(accepted)).ShouldBeFalse();
        new ObserverSockets(NoSuchProcess).IsObserver(InodeOf(client)).ShouldBeFalse();
    }

    [Fact]
    public void An_fd_closed_before_it_was_described_is_told_by_the_address_its_connect_was_given()
    {
        Listen("dotnet-advisor-1-port.socket");
        var introspector = new ProcfsIntrospector();
        const int Closed = 1_000_000; // no such fd: closed before /proc was asked

        // sockaddr_un, in the heap as the runtime keeps its port's: the family (AF_UNIX), then the NUL-terminated path.
        var address = Marshal.AllocHGlobal(110);
        try
        {
            foreach (var (name, expected) in new[] { ("dotnet-advisor-1-port.socket", true), ("app.sock", false) })
            {
                var sockaddr = new byte[110];
                sockaddr[0] = 1;
                Encoding.UTF8.GetBytes(Path.Combine(_dir.FullName, name), sockaddr.AsSpan(2));
                Marshal.Copy(sockaddr, 0, address, sockaddr.Length);

                introspector.IsObserverFd(Environment.ProcessId, Closed, (ulong)address).ShouldBe(expected, name);
            }

            introspector.IsObserverFd(Environment.ProcessId, Closed, 0).ShouldBeFalse();
        }
        finally
        {
            Marshal.FreeHGlobal(address);
        }
    }

    [Fact]
    public void A_closed_socket_is_unknown_to_the_kernel()
    {
        var server = Listen("gone.sock");
        var inode = InodeOf(server);
        server.Dispose();

        UnixSocketDiag.Query(inode).ShouldBeNull();
        new ObserverSockets().IsObserver(inode).ShouldBeFalse();
    }

    [Fact]
    public void The_kernel_tells_a_listeners_name_and_queue_and_a_connections_peer()
    {
        var server = Listen("named.sock");
        var client = Connect(server);

        var listening = UnixSocketDiag.Query(InodeOf(server)).ShouldNotBeNull();
        (listening.Name, listening.Listening).ShouldBe((Path.Combine(_dir.FullName, "named.sock"), true));
        listening.Pending.ShouldBe([InodeOf(client)]);
        UnixSocketDiag.Query(InodeOf(client)).ShouldNotBeNull().Peer.ShouldBe(0, "not accepted yet");

        var accepted = Track(server.Accept());

        var connected = UnixSocketDiag.Query(InodeOf(client)).ShouldNotBeNull();
        (connected.Name, connected.Listening, connected.Peer).ShouldBe((null, false, InodeOf(accepted)));
        UnixSocketDiag.Query(InodeOf(accepted)).ShouldNotBeNull().Name.ShouldBe(Path.Combine(_dir.FullName, "named.sock"));
    }
}
