using System.Diagnostics;

namespace Advisor.UnitTests.Symbols;

/// <summary>
/// The native toolchain some tests build or inspect real modules with (clang, objcopy, readelf). A missing tool
/// skips the test, except in CI (<see cref="Prerequisite"/>), where .ci/run installs them and a skip would hide a gap.
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

        SkipOrFail($"none of {string.Join(", ", anyOf)} is installed");
        return string.Empty;
    }

    /// <summary>Skips the test for something this machine lacks; in CI, where it must not be lacking, fails it.</summary>
    public static void SkipOrFail(string missing) => Prerequisite.SkipOrFail(missing);

    /// <returns>The tool's standard output; throws with its standard error when it fails.</returns>
    public static string Run(string tool, params string[] arguments) => Run(tool, silentFailureIsSuccess: false, arguments);

    /// <param name="silentFailureIsSuccess">
    /// An exit status without a word on standard error still yields the output: readelf 2.40 exits 1 after
    /// dumping all of libc's frames, complaining of nothing.
    /// </param>
    public static string Run(string tool, bool silentFailureIsSuccess, params string[] arguments)
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
        return process.ExitCode == 0 || (silentFailureIsSuccess && error.Result.Length == 0) ? output : throw new InvalidOperationException($"{tool} {string.Join(' ', arguments)}: {error.Result}");
    }
}
