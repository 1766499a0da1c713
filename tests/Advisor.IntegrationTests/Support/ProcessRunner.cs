using System.Diagnostics;
using System.Text;

namespace Advisor.IntegrationTests.Support;

/// <summary>The result of a finished process.</summary>
internal sealed record ProcessResult(int ExitCode, string Stdout, string Stderr);

/// <summary>Runs a process to completion with captured output and a hard time limit.</summary>
internal static class ProcessRunner
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(3);

    /// <summary>Whether this process ignores SIGINT (bit 1 of SigIgn in /proc/self/status), as children inherit.</summary>
    private static readonly Lazy<bool> InterruptIgnored = new(() =>
        (ulong.Parse(
            File.ReadLines("/proc/self/status").First(l => l.StartsWith("SigIgn:", StringComparison.Ordinal))["SigIgn:".Length..].Trim(),
            System.Globalization.NumberStyles.HexNumber,
            System.Globalization.CultureInfo.InvariantCulture) & (1UL << 1)) != 0);

    /// <param name="environment">Variables to set for the process only (tests run in parallel: never set them on the test host).</param>
    public static ProcessResult Run(
        string program, IEnumerable<string> arguments, TimeSpan? timeout = null, string? workingDirectory = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        using var process = Start(program, arguments, workingDirectory, environment);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout ?? DefaultTimeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', arguments)} did not finish in time");
        }

        process.WaitForExit();
        return new ProcessResult(process.ExitCode, stdout.Result, stderr.Result);
    }

    public static Process Start(string program, IEnumerable<string> arguments, string? workingDirectory = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        if (InterruptIgnored.Value)
        {
            // Started in the background by a shell without job control, this run ignores SIGINT, and so would every
            // process it starts: Ctrl+C's signal, which the tests send the tool, would do nothing. env puts it back
            // to its default and execs (the pid stays the program's).
            arguments = ["--default-signal=INT", program, .. arguments];
            program = "env";
        }

        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            StandardOutputEncoding = Encoding.UTF8,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        return Process.Start(start)!;
    }

    /// <summary>The tool, built beside these tests.</summary>
    public static ProcessResult Advisor(params string[] arguments) => Run(RepoLayout.Tool, arguments);
}
