using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Advisor.IntegrationTests.Support;

/// <summary>Where samples/CleanService listens, from the line it prints on stderr once Kestrel is up.</summary>
internal static partial class CleanServiceAddress
{
    /// <returns>Its base URL (<c>http://127.0.0.1:PORT</c>); the rest of its stderr is read on in the background.</returns>
    public static string WaitFor(Process service)
    {
        var reader = Task.Run(() =>
        {
            for (string? line; (line = service.StandardError.ReadLine()) is not null;)
            {
                if (Listening().Match(line) is { Success: true } match)
                {
                    return match.Groups[1].Value;
                }
            }

            return null;
        });
        reader.Wait(TimeSpan.FromSeconds(60)).ShouldBeTrue("CleanService did not say where it listens within 60 s");
        var url = reader.Result ?? throw new InvalidOperationException($"CleanService exited before listening (exit {service.ExitCode})");
        _ = service.StandardError.ReadToEndAsync(); // the rest: its summary line
        return url;
    }

    [GeneratedRegex(@"CleanService listening on (http://127\.0\.0\.1:\d+)")]
    private static partial Regex Listening();
}
