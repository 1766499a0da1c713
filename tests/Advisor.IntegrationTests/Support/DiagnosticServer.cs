using System.Diagnostics;
using Microsoft.Diagnostics.NETCore.Client;

namespace Advisor.IntegrationTests.Support;

/// <summary>
/// A freshly started .NET process opens its diagnostic socket a moment after exec; a test that connects a
/// <see cref="DiagnosticsClient"/> itself (not through the tool, which notes a missing runtime and goes on) waits
/// for it first, as a loaded machine can take far longer than an idle one.
/// </summary>
internal static class DiagnosticServer
{
    public static void WaitFor(Process target, TimeSpan? timeout = null)
    {
        var limit = timeout ?? TimeSpan.FromSeconds(30);
        var clock = Stopwatch.StartNew();
        // Its socket in the temp directory it inherited from this test (the client's own listing of every process
        // throws when a kernel thread has no environ to read).
        while (Directory.GetFiles(Path.GetTempPath(), $"dotnet-diagnostic-{target.Id}-*-socket").Length == 0)
        {
            target.HasExited.ShouldBeFalse($"pid {target.Id} exited before its diagnostic server listened");
            clock.Elapsed.ShouldBeLessThan(limit, $"pid {target.Id} opened no diagnostic socket within {limit.TotalSeconds} s");
            Thread.Sleep(20);
        }
    }
}
