namespace Advisor.Core.Processes;

/// <summary>
/// Names the tooling around an application — the .NET SDK and its CLI, MSBuild, the compiler, the test
/// platform — by its processes and its code: what runs under <c>dotnet test</c> besides the tests is not the
/// user's code, and a finding about it must say whose it is.
/// </summary>
public static class ToolingNames
{
    public const string Sdk = "the .NET SDK";
    public const string MsBuild = "MSBuild";
    public const string Compiler = "the C# compiler";
    public const string TestPlatform = "the test platform";

    /// <summary>The dotnet CLI's own commands: `dotnet test` is the SDK at work until it starts the tests.</summary>
    private static readonly HashSet<string> CliVerbs = new(StringComparer.Ordinal)
    {
        "build", "test", "run", "restore", "pack", "publish", "msbuild", "vstest", "clean", "tool", "new", "watch", "format", "add", "sln", "nuget", "workload", "build-server",
    };

    /// <summary>Whose tooling code a managed frame is, by its namespace (for frames the symbolizer classed as tooling).</summary>
    public static string OfFrame(string frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        return frame.StartsWith("Microsoft.VisualStudio.TestPlatform", StringComparison.Ordinal)
            || frame.StartsWith("Microsoft.TestPlatform", StringComparison.Ordinal)
            || frame.StartsWith("Microsoft.Testing", StringComparison.Ordinal)
            || frame.StartsWith("Xunit", StringComparison.Ordinal)
            || frame.StartsWith("NUnit", StringComparison.Ordinal)
            || frame.StartsWith("TestHost", StringComparison.Ordinal) ? TestPlatform
            : frame.StartsWith("Microsoft.Build", StringComparison.Ordinal) || frame.StartsWith("NuGet.", StringComparison.Ordinal) ? MsBuild
            : frame.StartsWith("Microsoft.CodeAnalysis", StringComparison.Ordinal) ? Compiler
            : Sdk;
    }

    /// <summary>
    /// Whose tooling a whole process is, from its command line, or null for an application (a testhost runs
    /// the user's tests, so it is one): <c>dotnet test</c> and the other CLI verbs, and any assembly the SDK
    /// ships (MSBuild nodes, vstest.console, the compiler server).
    /// </summary>
    public static string? OfProcess(string commandLine)
    {
        ArgumentNullException.ThrowIfNull(commandLine);
        var words = commandLine.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (words.Length == 0 || Path.GetFileName(words[0]) != "dotnet")
        {
            return null;
        }

        var assembly = words.Skip(1).FirstOrDefault(w => w.EndsWith(".dll", StringComparison.OrdinalIgnoreCase));
        if (assembly is null)
        {
            return words.Length > 1 && CliVerbs.Contains(words[1]) ? Sdk : null;
        }

        var file = Path.GetFileName(assembly);
        return file.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase) ? MsBuild
            : file.StartsWith("vstest.console", StringComparison.OrdinalIgnoreCase) ? TestPlatform
            : file.StartsWith("VBCSCompiler", StringComparison.OrdinalIgnoreCase) || file.StartsWith("csc.", StringComparison.OrdinalIgnoreCase) ? Compiler
            : IsInSdk(assembly) ? Sdk
            : null;
    }

    /// <summary>
    /// What a reader knows a process by: the app's assembly for <c>dotnet [exec] [options] app.dll</c> (every
    /// .NET app is "dotnet" to the kernel), else its program's file name, else its name.
    /// </summary>
    public static string DisplayName(string name, string commandLine)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(commandLine);
        var words = commandLine.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (words.Length == 0)
        {
            return name;
        }

        if (Path.GetFileName(words[0]) != "dotnet")
        {
            // The kernel cuts names at 15 characters; an app host's file name is whole.
            var program = Path.GetFileName(words[0]);
            return program.StartsWith(name, StringComparison.Ordinal) ? program : name;
        }

        var assembly = words.Skip(1).FirstOrDefault(w => w.EndsWith(".dll", StringComparison.OrdinalIgnoreCase));
        return assembly is null ? name : Path.GetFileNameWithoutExtension(assembly);
    }

    /// <summary>An assembly under a dotnet root's <c>sdk/VERSION/</c> folder.</summary>
    private static bool IsInSdk(string path)
    {
        var parts = path.Split('/');
        for (var i = 0; i + 2 < parts.Length; i++)
        {
            if (parts[i] == "sdk" && parts[i + 1].Length > 0 && char.IsAsciiDigit(parts[i + 1][0]))
            {
                return true;
            }
        }

        return false;
    }
}
