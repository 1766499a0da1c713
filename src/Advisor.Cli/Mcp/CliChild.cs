using System.Diagnostics;
using System.Text;
using Advisor.Cli.Sessions;
using Advisor.Linux.Procfs;

namespace Advisor.Cli.Mcp;

/// <summary>
/// Runs a <see cref="CliCall"/> as a child process of the server, so that whatever happens to a capture (a crash, a
/// target that vanishes, a runtime that hangs) the server stays alive, and nothing the command prints can reach the
/// server's stdout, which carries the protocol.
/// </summary>
internal static class CliChild
{
    /// <summary>
    /// After SIGTERM, how long the command may take to end before it is killed: the commands stop as on Ctrl+C and
    /// still report what they saw, which may take up to the CLI's own termination timeout (15 s).
    /// </summary>
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(20);

    /// <summary>After the child is gone, how long its pipes may stay open (held by a command <c>run</c> left running).</summary>
    private static readonly TimeSpan OutputGrace = TimeSpan.FromSeconds(2);

    /// <param name="cancel">The client cancelled the request, or the server is ending: the command is stopped as at its bound.</param>
    public static async Task<CliOutcome> RunAsync(CliCall call, CancellationToken cancel)
    {
        var command = SelfInvocation.Command(call.Arguments[0]);
        var start = new ProcessStartInfo(command[0])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
            UseShellExecute = false,
        };
        foreach (var argument in command.Skip(1).Concat(call.Arguments.Skip(1)))
        {
            start.ArgumentList.Add(argument);
        }

        using var child = Process.Start(start) ?? throw new InvalidOperationException($"could not start {command[0]}");

        // The server's stdin is the protocol: the child (and a command it launches) reads an empty input instead.
        child.StandardInput.Close();
        var stdout = PipeText.Capture(child.StandardOutput);
        var stderr = PipeText.Capture(child.StandardError);

        var stopped = false;
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        bound.CancelAfter(call.Bound);
        try
        {
            await child.WaitForExitAsync(bound.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            stopped = true;
            await StopAsync(child).ConfigureAwait(false);
        }

        return new CliOutcome(
            child.ExitCode,
            await stdout.TextAsync(OutputGrace).ConfigureAwait(false),
            await stderr.TextAsync(OutputGrace).ConfigureAwait(false),
            stopped);
    }

    /// <summary>SIGTERM, so a recording ends with the report of what it saw; SIGKILL if it does not end in time.</summary>
    private static async Task StopAsync(Process child)
    {
        ProcTasks.Terminate(child.Id);
        using var grace = new CancellationTokenSource(StopGrace);
        try
        {
            await child.WaitForExitAsync(grace.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            child.Kill(entireProcessTree: true);
            await child.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }
}
