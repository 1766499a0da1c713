namespace Advisor.Linux.Symbols;

/// <summary>
/// Installed separate debug files (Debian's -dbgsym, Fedora's -debuginfo packages), found by a module's GNU
/// build id: <c>&lt;root&gt;/.build-id/ab/cdef….debug</c>.
/// </summary>
public sealed class DebugFiles(string root = DebugFiles.DefaultRoot)
{
    public const string DefaultRoot = "/usr/lib/debug";

    public static DebugFiles Installed { get; } = new();

    public string Root { get; } = root;

    /// <returns>The debug file's path when one is installed for that build id, otherwise null.</returns>
    public string? Find(string? buildId)
    {
        // Lowercase hex only: the id becomes part of a path, so nothing else may reach it.
        if (buildId is null || buildId.Length < 4 || !buildId.All(char.IsAsciiHexDigitLower))
        {
            return null;
        }

        var path = Path.Combine(Root, ".build-id", buildId[..2], buildId[2..] + ".debug");
        return File.Exists(path) ? path : null;
    }
}
