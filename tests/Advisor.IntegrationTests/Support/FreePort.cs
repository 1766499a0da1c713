using System.Net;
using System.Net.Sockets;

namespace Advisor.IntegrationTests.Support;

/// <summary>A loopback TCP port nobody listens on: bound to port 0, read and released, for a server a test starts.</summary>
internal static class FreePort
{
    public static int Find()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
