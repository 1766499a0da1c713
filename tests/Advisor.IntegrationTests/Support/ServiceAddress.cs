using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Advisor.IntegrationTests.Support;

/// <summary>
/// Where a service sample (samples/CleanService, samples/OrdersService) listens, from the
/// <c>&lt;Sample&gt; listening on http://127.0.0.1:PORT</c> line it prints on stderr once Kestrel is up.
/// </summary>
internal static partial class ServiceAddress
{
    /// <returns>Its base URL (<c>http://127.0.0.1:PORT</c>); the rest of its stderr is read on in the background.</returns>
    public static string WaitFor(Process service, string sample = "CleanService")
    {
        var said = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var reader = Task.Run(() =>
        {
            for (string? line; (line = service.StandardError.ReadLine()) is not null;)
            {
                said.Enqueue(line);
                if (Listening().Match(line) is { Success: true } match && match.Groups[1].Value == sample)
                {
                    return match.Groups[2].Value;
                }
            }

            return null;
        });
        reader.Wait(TimeSpan.FromSeconds(60)).ShouldBeTrue($"{sample} did not say where it listens within 60 s");
        var url = reader.Result ?? throw new InvalidOperationException($"{sample} exited before listening:\n{string.Join('\n', said)}");
        _ = service.StandardError.ReadToEndAsync(); // the rest: its summary line
        return url;
    }

    [GeneratedRegex(@"(\w+) listening on (http://127\.0\.0\.1:\d+)")]
    private static partial Regex Listening();
}
