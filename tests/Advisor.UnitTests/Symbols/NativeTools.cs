using System.Diagnostics;

namespace Advisor.UnitTests.Symbols;

/// <summary>
/// The native toolchain some tests build or inspect real modules with (clang, objcopy, readelf). A missing tool
/// skips the test, except in CI (ADVISOR_REQUIRE_PRIVILEGED=1), where .ci/run installs them and a skip would hide a gap.
/// </summary>
internal static class NativeTools
{
    /// <returns>The first of the tools found on PATH; skips (or fails in CI) when none is.</returns>
    public static string Require(params string[] anyOf)
    {
        var directories = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries);
        var found = anyOf.SelectMany(tool => directories.Select(d => Path.Combine(d, tool))).FirstOrDefault(File.Exists);
        if (found is not null)
        {
            return found;
        }

        var missing = $"none of {string.Join(", ", anyOf)} is installed";
        if (Environment.GetEnvironmentVariable("ADVISOR_REQUIRE_PRIVILEGED") == "1")
        {
            throw new InvalidOperationException($"ADVISOR_REQUIRE_PRIVILEGED=1 but {missing}");
        }

        Skip.If(true, missing);
        return missing;
    }

    /// <returns>The tool's standard output; throws with its standard error when it fails.</returns>
    public static string Run(string tool, params string[] arguments)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode == 0 ? output : throw new InvalidOperationException($"{tool} {string.Join(' ', arguments)}: {error.Result}");
    }
}
