using System.Diagnostics;
using Advisor.Linux.Procfs;

namespace Advisor.UnitTests.Linux;

/// <summary>Waiting for a process's exit (a pidfd where the kernel has one): the wait ends when it exits, and not before.</summary>
public class ProcessExitWaitTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private static Process Sleeper() => Process.Start(new ProcessStartInfo("sleep", "60") { UseShellExecute = false })!;

    [Fact]
    public async Task The_wait_ends_when_the_process_exits_and_not_before()
    {
        using var sleeper = Sleeper();
        try
        {
            var exited = ProcTasks.WaitForExitAsync(sleeper.Id, CancellationToken.None);
            (await Task.WhenAny(exited, Task.Delay(300))).ShouldNotBe(exited, "the wait ended while the process lived");

            sleeper.Kill();
            (await Task.WhenAny(exited, Task.Delay(Patience))).ShouldBe(exited, "the wait did not end when the process exited");
        }
        finally
        {
            sleeper.Kill();
            await sleeper.WaitForExitAsync();
        }
    }

    [Fact]
    public async Task Cancelling_ends_the_wait_on_a_process_that_lives_on()
    {
        using var sleeper = Sleeper();
        try
        {
            using var stop = new CancellationTokenSource();
            var exited = ProcTasks.WaitForExitAsync(sleeper.Id, stop.Token);
            await stop.CancelAsync();

            (await Task.WhenAny(exited, Task.Delay(Patience))).ShouldBe(exited, "the wait outlived its cancellation");
            sleeper.HasExited.ShouldBeFalse();
        }
        finally
        {
            sleeper.Kill();
            await sleeper.WaitForExitAsync();
        }
    }

    [Fact]
    public async Task A_process_that_is_gone_has_exited_at_once()
    {
        using var gone = Process.Start(new ProcessStartInfo("true") { UseShellExecute = false })!;
        await gone.WaitForExitAsync();

        var exited = ProcTasks.WaitForExitAsync(gone.Id, CancellationToken.None);

        (await Task.WhenAny(exited, Task.Delay(Patience))).ShouldBe(exited);
    }
}
