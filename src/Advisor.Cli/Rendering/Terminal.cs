using Spectre.Console;

namespace Advisor.Cli.Rendering;

/// <summary>
/// The stdout console for reports: colours and the terminal's width on a terminal; plain text on long lines
/// when redirected, so a report saved to a file or a CI log has no escape codes and no wrapped evidence.
/// </summary>
internal static class Terminal
{
    private const int RedirectedWidth = 200;

    public static IAnsiConsole Stdout { get; } = Create();

    private static IAnsiConsole Create()
    {
        var redirected = Console.IsOutputRedirected;
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = redirected ? AnsiSupport.No : AnsiSupport.Detect,
            ColorSystem = redirected ? ColorSystemSupport.NoColors : ColorSystemSupport.Detect,
            Out = new AnsiConsoleOutput(Console.Out),
        });
        if (redirected)
        {
            console.Profile.Width = RedirectedWidth;
        }

        return console;
    }
}
