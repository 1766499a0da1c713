using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Advisor.IntegrationTests.Support;

/// <summary>
/// A throwaway Redis for the tests (<see cref="OnDemandServer"/>): <c>redis-server</c> with no persistence.
/// Without redis-server installed, a test that asks for it is skipped (failed in CI).
/// </summary>
public sealed class RedisServer : OnDemandServer
{
    private string? _program;

    protected override string DirectoryPrefix => "advisor-redis-";

    protected override string PortTaken => "Address already in use";

    protected override void Prepare(DirectoryInfo dir)
    {
        _program = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':')
            .Append("/usr/bin").Select(d => Path.Combine(d, "redis-server")).FirstOrDefault(File.Exists);
        Privileges.RequireInstalled("Redis (redis-server)", _program is not null);
    }

    private protected override ServerProcess Launch(int port, DirectoryInfo dir) => ServerProcess.Start(
        _program!, ["--port", $"{port}", "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir.FullName, "--daemonize", "no"],
        dir.FullName,
        stopWithInterrupt: false);

    /// <summary>Whether it answers PING with +PONG.</summary>
    protected override bool Ready(int port)
    {
        try
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveTimeout = 1000, SendTimeout = 1000 };
            socket.Connect(IPAddress.Loopback, port);
            socket.Send("PING\r\n"u8);
            var answer = new byte[16];
            int read = socket.Receive(answer);
            return Encoding.ASCII.GetString(answer, 0, read).StartsWith("+PONG", StringComparison.Ordinal);
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
