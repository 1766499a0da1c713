namespace Advisor.Runtime.Launch;

/// <summary>Whether a command is itself a .NET program, judged before it runs.</summary>
public static class DotNetCommand
{
    /// <summary>
    /// True for the <c>dotnet</c> host and for an app host (an executable beside its <c>.dll</c> and
    /// <c>.runtimeconfig.json</c>). Only such a command may be told to suspend at the diagnostic port: a
    /// script or a native program passes the setting on to whatever it starts, and a second runtime waiting
    /// on a port nobody serves would hang.
    /// </summary>
    public static bool IsLikely(string resolvedPath)
    {
        ArgumentNullException.ThrowIfNull(resolvedPath);
        if (Path.GetFileName(resolvedPath) == "dotnet")
        {
            return true;
        }

        var stem = Path.Combine(Path.GetDirectoryName(resolvedPath) ?? ".", Path.GetFileNameWithoutExtension(resolvedPath));
        return File.Exists(stem + ".dll") && File.Exists(stem + ".runtimeconfig.json");
    }
}
