using System.Text;

namespace Advisor.Cli.Mcp;

/// <summary>
/// The text a child writes to one pipe, read as it comes. Reading to the end is not enough: a command that
/// <c>run</c> left running at its bound still holds the pipe open after the tool itself has exited, so the text
/// is taken once the child is gone and a short grace has passed, whether or not the pipe has closed.
/// </summary>
internal sealed class PipeText
{
    /// <summary>More than any report is: a launched command that prints without end cannot fill the server's memory.</summary>
    private const int MaxChars = 64 * 1024 * 1024;

    private readonly StringBuilder _text = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _reading;

    private PipeText(TextReader reader) => _reading = ReadAsync(reader);

    public static PipeText Capture(TextReader reader) => new(reader);

    /// <summary>What was read, once the pipe closed or <paramref name="grace"/> passed.</summary>
    public async Task<string> TextAsync(TimeSpan grace)
    {
        await Task.WhenAny(_reading, Task.Delay(grace)).ConfigureAwait(false);
        await _stop.CancelAsync().ConfigureAwait(false);
        lock (_text)
        {
            return _text.ToString();
        }
    }

    private async Task ReadAsync(TextReader reader)
    {
        var buffer = new char[16 * 1024];
        try
        {
            int read;
            while ((read = await reader.ReadAsync(buffer, _stop.Token).ConfigureAwait(false)) > 0)
            {
                lock (_text)
                {
                    if (_text.Length + read <= MaxChars)
                    {
                        _text.Append(buffer, 0, read);
                    }
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException)
        {
            // Given up on after the grace, or closed under us when the child was disposed: what was read stands.
        }
    }
}
