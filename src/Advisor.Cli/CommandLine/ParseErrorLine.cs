using System.CommandLine;
using System.CommandLine.Parsing;

namespace Advisor.Cli.CommandLine;

/// <summary>
/// System.CommandLine's parse errors as the one error line every failure gets (README "Exit codes"): the error that
/// says what was wrong and where the usage is. Not its list: an unknown command is also reported as "required
/// command was not provided", which only hides the word the user mistyped.
/// </summary>
internal static class ParseErrorLine
{
    public static string Of(ParseResult parse)
    {
        var result = parse.CommandResult;
        if (result.Command is RootCommand root)
        {
            var commands = string.Join(", ", root.Subcommands.Select(c => c.Name));
            return parse.UnmatchedTokens.FirstOrDefault() switch
            {
                { } option when option.StartsWith('-') => $"unknown option '{option}': options follow a command, one of {commands} (see dotnet-advisor --help)",
                { } word => $"unknown command '{word}': use one of {commands} (see dotnet-advisor --help)",
                null => $"no command given: use one of {commands} (see dotnet-advisor --help)",
            };
        }

        // One line even if a message ever spans several.
        var message = parse.Errors[0].Message.TrimEnd('.').ReplaceLineEndings(" ");
        return $"{message} (see dotnet-advisor {CommandPath(result)} --help)";
    }

    /// <summary>"rules explain": the command's names below the root.</summary>
    private static string CommandPath(CommandResult result)
    {
        var names = new List<string>();
        for (var at = result; at is not null && at.Command is not RootCommand; at = at.Parent as CommandResult)
        {
            names.Insert(0, at.Command.Name);
        }

        return string.Join(' ', names);
    }
}
