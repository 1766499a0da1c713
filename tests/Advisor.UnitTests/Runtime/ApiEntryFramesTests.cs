using Advisor.Core.Stacks;
using Advisor.Runtime.Symbols;

namespace Advisor.UnitTests.Runtime;

public class ApiEntryFramesTests
{
    private static StackFrame F(string name) => new(name, FrameKind.Framework);

    private static StackFrame U(string name) => new(name, FrameKind.User);

    [Fact]
    public void FileStream_is_put_back_above_its_strategy_when_optimised_code_removed_it()
    {
        var frames = ApiEntryFrames.Restore([
            new StackFrame("libc.so.6!pwrite64", FrameKind.Native),
            F("System.IO.RandomAccess.WriteAtOffset"),
            F("System.IO.Strategies.OSFileStreamStrategy.Write"),
            U("Program.WriteRecords"),
        ]);

        frames.Select(f => f.Name).ShouldBe([
            "libc.so.6!pwrite64",
            "System.IO.RandomAccess.WriteAtOffset",
            "System.IO.Strategies.OSFileStreamStrategy.Write",
            "System.IO.FileStream.Write",
            "Program.WriteRecords",
        ]);
        new CallStack(frames).CallSite.ShouldBe("Program.WriteRecords → FileStream.Write");
    }

    [Fact]
    public void Nothing_is_added_when_the_api_frame_is_there_or_the_strategies_nest()
    {
        IReadOnlyList<StackFrame> present = [
            F("System.IO.Strategies.OSFileStreamStrategy.Write"),
            F("System.IO.Strategies.BufferedFileStreamStrategy.Flush"),
            F("System.IO.FileStream.Flush"),
            U("Program.Main"),
        ];

        ApiEntryFrames.Restore(present).ShouldBeSameAs(present);
    }

    [Fact]
    public void Only_the_outermost_of_nested_strategies_gets_the_api_frame()
    {
        var frames = ApiEntryFrames.Restore([
            F("System.IO.Strategies.OSFileStreamStrategy.Write"),
            F("System.IO.Strategies.BufferedFileStreamStrategy.Flush"),
            U("Program.Main"),
        ]);

        frames.Select(f => f.Name).ShouldBe([
            "System.IO.Strategies.OSFileStreamStrategy.Write",
            "System.IO.Strategies.BufferedFileStreamStrategy.Flush",
            "System.IO.FileStream.Flush",
            "Program.Main",
        ]);
    }

    [Fact]
    public void Static_helpers_of_the_namespace_are_not_taken_for_the_api()
    {
        IReadOnlyList<StackFrame> frames = [
            F("Interop+Sys.FSync"),
            F("System.IO.Strategies.FileStreamHelpers.FlushToDisk"),
            U("MyApp.Journal.Commit"),
        ];

        ApiEntryFrames.Restore(frames).ShouldBeSameAs(frames);
    }

    [Fact]
    public void RandomAccess_is_put_back_between_SystemNative_PWrite_and_the_strategy_that_inlined_it()
    {
        var pwrite = new StackFrame("libSystem.Native.so!SystemNative_PWrite", FrameKind.Native);
        var frames = ApiEntryFrames.Restore([
            new StackFrame("libc.so.6!pwrite", FrameKind.Native),
            pwrite,
            F("System.IO.Strategies.OSFileStreamStrategy.Write"),
            F("System.IO.FileStream.Write"),
            U("Program.WriteRecords"),
        ]);

        frames.Select(f => f.Name).ShouldBe([
            "libc.so.6!pwrite",
            "libSystem.Native.so!SystemNative_PWrite",
            "System.IO.RandomAccess.WriteAtOffset",
            "System.IO.Strategies.OSFileStreamStrategy.Write",
            "System.IO.FileStream.Write",
            "Program.WriteRecords",
        ]);

        // Not where the wrapper is already a frame, nor under a caller it is not certain for.
        IReadOnlyList<StackFrame> framed = [pwrite, F("Interop+Sys.PWrite"), F("System.IO.RandomAccess.WriteAtOffset"), U("Program.Main")];
        ApiEntryFrames.Restore(framed).ShouldBe(framed);
        IReadOnlyList<StackFrame> other = [pwrite, F("System.IO.Pipes.PipeStream.WriteCore"), U("Program.Main")];
        ApiEntryFrames.Restore(other).ShouldBe(other);
    }
}
