using System.Diagnostics;

namespace Advisor.IntegrationTests.Support;

/// <summary>
/// samples/CleanService serving an outside load on loopback: started, warmed up by 2 s of wrk (JIT, tiering,
/// connections), then loaded by wrk for a while in the background. Disposing stops both.
/// </summary>
internal sealed class LoadedCleanService : IDisposable
{
    private readonly Process _service;
    private readonly Process _load;
    private readonly Task<string> _loadOutput;

    private LoadedCleanService(Process service, Process load)
    {
        _service = service;
        _load = load;
        _loadOutput = load.StandardOutput.ReadToEndAsync();
    }

    public int Pid => _service.Id;

    /// <param name="idleSeconds">How long the service lives with no request before it exits (a guard, should the test fail to stop it).</param>
    /// <param name="loadSeconds">How long wrk loads it after the warm-up.</param>
    public static LoadedCleanService Start(int idleSeconds, int loadSeconds)
    {
        Privileges.RequireTool("wrk");
        var service = ProcessRunner.Start("dotnet", ["exec", RepoLayout.Sample("CleanService"), "--idle", $"{idleSeconds}"]);
        try
        {
            var url = ServiceAddress.WaitFor(service);
            _ = service.StandardOutput.ReadToEndAsync();
            var warmUp = ProcessRunner.Run("wrk", ["-t1", "-c16", "-d2s", url + "/items/1"], TimeSpan.FromMinutes(1));
            warmUp.ExitCode.ShouldBe(0, warmUp.Stderr);
            return new LoadedCleanService(service, ProcessRunner.Start("wrk", ["-t1", "-c16", $"-d{loadSeconds}s", url + "/items/1"]));
        }
        catch
        {
            Stop(service);
            throw;
        }
    }

    /// <summary>Waits for the load to end and asserts every request was served.</summary>
    public void LoadServedEverything()
    {
        _load.WaitForExit(TimeSpan.FromSeconds(60)).ShouldBeTrue("wrk did not finish");
        _load.ExitCode.ShouldBe(0, _loadOutput.Result);
        _loadOutput.Result.ShouldNotContain("Non-2xx", customMessage: "the service failed requests");
    }

    public void Dispose()
    {
        Stop(_load);
        Stop(_service);
    }

    private static void Stop(Process process)
    {
        if (!process.HasExited)
        {
            process.Kill();
        }

        process.WaitForExit();
        process.Dispose();
    }
}
