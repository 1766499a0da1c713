namespace Advisor.IntegrationTests.Support;

/// <summary>
/// A throwaway server for the tests on 127.0.0.1 and a free port, its files in a temp directory: started on first
/// use of <see cref="Endpoint"/>, stopped by its pid on Dispose and the directory deleted. An xunit class or
/// collection fixture (<see cref="RoundTripServers"/>), so the tests of a class or collection share one server.
/// </summary>
public abstract class OnDemandServer : IDisposable
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

    /// <summary>The prefix of its temp directory ("advisor-pg-").</summary>
    protected abstract string DirectoryPrefix { get; }

    /// <summary>What the server says when the port it was given was taken meanwhile.</summary>
    protected abstract string PortTaken { get; }

    public void Dispose()
    {
        lock (_gate)
        {
            Stop();
        }

        GC.SuppressFinalize(this);
    }

    /// <summary>Skips the test (fails it in CI) when the server is not installed; prepares the directory.</summary>
    protected abstract void Prepare(DirectoryInfo dir);

    /// <summary>Starts the server on <paramref name="port"/>, its files in <paramref name="dir"/>.</summary>
    private protected abstract ServerProcess Launch(int port, DirectoryInfo dir);

    /// <summary>Whether it accepts requests on <paramref name="port"/> yet.</summary>
    protected abstract bool Ready(int port);

    private string Start()
    {
        _dir = Directory.CreateTempSubdirectory(DirectoryPrefix);
        try
        {
            Prepare(_dir);

            // A port found free may be taken before the server binds it: a few tries.
            for (int attempt = 1; ; attempt++)
            {
                int port = FreePort.Find();
                _server = Launch(port, _dir);
                try
                {
                    _server.WaitUntil(() => Ready(port), GetType().Name);
                    return $"127.0.0.1:{port}";
                }
                catch (InvalidOperationException) when (attempt < 3 && _server.Output.Contains(PortTaken, StringComparison.Ordinal))
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
