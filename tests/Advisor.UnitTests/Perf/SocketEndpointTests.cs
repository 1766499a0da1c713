using Advisor.Linux.Procfs;

namespace Advisor.UnitTests.Perf;

/// <summary><c>SocketTable.Endpoint</c>: the hex ADDR:PORT of /proc/PID/net/{tcp,udp}[6].</summary>
public class SocketEndpointTests
{
    [Theory]
    [InlineData("0100007F:1388", "127.0.0.1:5000")]
    [InlineData("00000000:0050", "0.0.0.0:80")]
    [InlineData("0F02000A:A0C2", "10.0.2.15:41154")]
    [InlineData("00000000000000000000000001000000:1F90", "[::1]:8080")]
    [InlineData("00000000000000000000000000000000:0016", "[::]:22")]
    [InlineData("0000000000000000FFFF00000100007F:0050", "127.0.0.1:80")] // IPv4-mapped, shown as IPv4
    [InlineData("B80D0120000000000000000001000000:01BB", "[2001:db8::1]:443")]
    public void Kernel_hex_endpoints_decode_to_address_and_port(string hex, string expected) =>
        SocketTable.Endpoint(hex).ShouldBe(expected);

    [Fact]
    public void Text_without_a_port_is_returned_unchanged() =>
        SocketTable.Endpoint("garbage").ShouldBe("garbage");
}
