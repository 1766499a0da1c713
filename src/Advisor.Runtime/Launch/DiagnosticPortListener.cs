using Microsoft.Diagnostics.NETCore.Client;

namespace Advisor.Runtime.Launch;

/// <summary>
/// The tool's end of a launch through a diagnostic port (as dotnet-trace does): a socket the command's
/// runtime connects to at start-up. With <c>suspend</c> the runtime waits there, before any managed code,
/// until the sessions are set up and it is told to resume — so nothing is missed.
/// </summary>
public sealed class DiagnosticPortListener : IAsyncDisposable
{
    /// <summary>The variable the runtime reads its extra diagnostic ports from.</summary>
    public const string PortsVariable = "DOTNET_DiagnosticPorts";

    private readonly CancellationTokenSource _stop = new();
    private readonly Task<DiagnosticsClientConnector?> _connection;
    private bool _disposed;

    private DiagnosticPortListener(string address)
    {
        Address = address;
        // The listening socket exists once this returns (the server starts before the first await).
        _connection = DiagnosticsClientConnector.FromDiagnosticPort($"{address},listen", _stop.Token);
    }

    /// <summary>The socket's path.</summary>
    public string Address { get; }

    public static DiagnosticPortListener Start()
    {
        var address = Path.Combine(Path.GetTempPath(), $"dotnet-advisor-{Environment.ProcessId}-{Guid.NewGuid():N}.socket");
        return new DiagnosticPortListener(address);
    }

    /// <summary>The value of <see cref="PortsVariable"/> for the command.</summary>
    /// <param name="suspend">Make the runtime wait for us; only safe when it will surely connect here.</param>
    public string PortSetting(bool suspend) => $"{Address},{(suspend ? "suspend" : "nosuspend")},connect";

    /// <summary>The first runtime that connects, or null if the listener was disposed first.</summary>
    public async Task<DiagnosticsClient?> WaitForRuntimeAsync()
    {
        try
        {
            var connector = await _connection.ConfigureAwait(false);
            return connector?.Instance;
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    /// <summary>Gives up waiting for a runtime that has not connected; a connected one stays served.</summary>
    public Task StopWaitingAsync() => _disposed ? Task.CompletedTask : _stop.CancelAsync();

    /// <summary>Closes the socket; a connected runtime can no longer be sent commands after this.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            if (await _connection.ConfigureAwait(false) is { } connector)
            {
                await connector.DisposeAsync().ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            // Nobody connected.
        }

        File.Delete(Address);
        _stop.Dispose();
    }
}
