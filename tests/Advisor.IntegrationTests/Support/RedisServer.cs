using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Advisor.IntegrationTests.Support;

/// <summary>
/// A throwaway Redis for the tests: <c>redis-server</c> on 127.0.0.1 and a free port, no persistence, its
/// working directory a temp directory; started on first use of <see cref="Endpoint"/>, stopped by its pid on
/// Dispose, the directory deleted. An xunit class or collection fixture (<see cref="RoundTripServers"/>).
/// Without redis-server installed, a test that asks for it is skipped (failed in CI).
/// </summary>
public sealed class RedisServer : IDisposable
{
    private readonly Lock _gate = new();
    private string? _endpoint;
    private DirectoryInfo? _dir;
    private ServerProcess? _server;

    /// <summary><c>127.0.0.1:PORT</c>; starts the server the first time (skips the test when it is not installed).</summary>
    public string Endpoint
    {
        get
        {
            lock (_gate)
            {
                return _endpoint ??= Start();
            }
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            Stop();
        }
    }

    /// <summary>Whether it answers PING with +PONG.</summary>
    private static bool Pong(int port)
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

    private string Start()
    {
        string? program = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':')
            .Append("/usr/bin").Select(dir => Path.Combine(dir, "redis-server")).FirstOrDefault(File.Exists);
        Privileges.RequireInstalled("Redis (redis-server)", program is not null);
        _dir = Directory.CreateTempSubdirectory("advisor-redis-");
        try
        {
            // A port found free may be taken before the server binds it: a few tries.
            for (int attempt = 1; ; attempt++)
            {
                int port = FreePort.Find();
                _server = ServerProcess.Start(program!, [
                    "--port", $"{port}", "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", _dir.FullName, "--daemonize", "no"],
                    _dir.FullName, stopWithInterrupt: false);
                try
                {
                    _server.WaitUntil(() => Pong(port), "redis-server");
                    return $"127.0.0.1:{port}";
                }
                catch (InvalidOperationException) when (attempt < 3 && _server.Output.Contains("Address already in use", StringComparison.Ordinal))
                {
                    _server.Dispose();
                    _server = null;
                }
            }
        }
        catch
        {
            Stop(); // nothing left behind for the next test to trip on
            throw;
        }
    }

    private void Stop()
    {
        _server?.Dispose();
        _server = null;
        _dir?.Delete(recursive: true);
        _dir = null;
    }
}
