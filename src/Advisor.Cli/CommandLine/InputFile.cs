using Advisor.Core.Failures;

namespace Advisor.Cli.CommandLine;

/// <summary>
/// A file the user names for the tool to read (--config, --budget, --baseline, report's FILE): missing or a
/// directory is a usage error in the tool's words, not the runtime's "Could not find file".
/// </summary>
internal static class InputFile
{
    /// <param name="option">The option that named it, or null for a command's argument.</param>
    /// <param name="whatInstead">For a directory: what to give instead.</param>
    /// <returns>The path, when it is a file.</returns>
    public static string Require(string path, string? option = null, string whatInstead = "give a file")
    {
        var named = option is null ? path : $"{option} '{path}'";
        if (Directory.Exists(path))
        {
            throw new AdvisorException(FailureKind.Usage, $"{named}: is a directory; {whatInstead}");
        }

        return File.Exists(path) ? path : throw new AdvisorException(FailureKind.Usage, $"{named}: no such file");
    }
}
