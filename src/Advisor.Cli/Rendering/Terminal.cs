using Spectre.Console;

namespace Advisor.Cli.Rendering;

/// <summary>
/// The consoles for reports: colours and the terminal's width on a terminal; plain text on long lines
/// when redirected, so a report saved to a file or a CI log has no escape codes and no wrapped evidence.
/// </summary>
internal static class Terminal
{
    private const int RedirectedWidth = 200;

    public static IAnsiConsole Stdout { get; } = Create(Console.Out, Console.IsOutputRedirected);

    /// <summary>The same for stderr: gate failures go there, so stdout can carry the JSON report.</summary>
    public static IAnsiConsole Stderr { get; } = Create(Console.Error, Console.IsErrorRedirected);

    private static IAnsiConsole Create(TextWriter writer, bool redirected)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = redirected ? AnsiSupport.No : AnsiSupport.Detect,
            ColorSystem = redirected ? ColorSystemSupport.NoColors : ColorSystemSupport.Detect,
            Out = new AnsiConsoleOutput(writer),
        });
        if (redirected)
        {
            console.Profile.Width = RedirectedWidth;
        }

        return console;
    }
}
