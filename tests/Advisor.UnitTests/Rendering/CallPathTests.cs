using Advisor.Cli.Rendering;
using Advisor.Core.Findings;

namespace Advisor.UnitTests.Rendering;

public class CallPathTests
{
    [Fact]
    public void The_console_line_runs_from_the_application_frame_down_to_the_call_without_native_frames()
    {
        var stack = new StackSample(10, [
            "libc.so.6!pwrite64",
            "System.IO.RandomAccess.WriteAtOffset",
            "System.IO.Strategies.OSFileStreamStrategy.Write",
            "System.IO.FileStream.Write",
            "MyApp.Logger.Log",
            "MyApp.Program.Main",
            "libcoreclr.so+0x5fa3cb",
        ]);

        CallPath.Of(stack).ShouldBe("MyApp.Logger.Log → System.IO.FileStream.Write → System.IO.Strategies.OSFileStreamStrategy.Write → System.IO.RandomAccess.WriteAtOffset");
    }

    [Fact]
    public void Without_an_application_frame_the_outermost_managed_frames_are_shown()
    {
        CallPath.Of(new StackSample(1, ["libc.so.6!futex", "System.Threading.Monitor.Enter", "System.Threading.Thread.StartCallback", "0x7f00"]))
            .ShouldBe("System.Threading.Thread.StartCallback → System.Threading.Monitor.Enter");
        CallPath.Of(new StackSample(1, ["libc.so.6!futex", "0x7f00"])).ShouldBeNull();
    }
}
