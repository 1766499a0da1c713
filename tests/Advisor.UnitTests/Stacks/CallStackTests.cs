using Advisor.Core.Stacks;

namespace Advisor.UnitTests.Stacks;

public class CallStackTests
{
    private static CallStack Stack(params (string Name, FrameKind Kind)[] frames) =>
        new(frames.Select(f => new StackFrame(f.Name, f.Kind)).ToList());

    [Fact]
    public void The_call_site_is_the_first_user_frame_and_the_api_it_called()
    {
        var stack = Stack(
            ("libc.so.6!pwrite64", FrameKind.Native),
            ("System.IO.RandomAccess.WriteAtOffset", FrameKind.Framework),
            ("System.IO.FileStream.Write", FrameKind.Framework),
            ("MyApp.Logger.Log", FrameKind.User),
            ("MyApp.Program.Main", FrameKind.User));

        stack.CallSite.ShouldBe("MyApp.Logger.Log → FileStream.Write");
    }

    [Fact]
    public void The_api_is_named_past_the_runtimes_stub_between_it_and_the_user_frame()
    {
        // Serilog under ASP.NET Core: the lambda's generic logging call goes through an instantiating stub.
        var stack = Stack(
            ("System.IO.FileStream.Flush", FrameKind.Framework),
            ("Serilog.Extensions.Logging.SerilogLogger.Log", FrameKind.Library),
            ("dynamicClass.IL_STUB_InstantiatingStub", FrameKind.Framework),
            ("Program.Main (lambda)", FrameKind.User));

        stack.CallSite.ShouldBe("Program.Main (lambda) → SerilogLogger.Log");
        Stack(("libc.so.6!write", FrameKind.Native), ("dynamicClass.IL_STUB_PInvoke", FrameKind.Framework), ("MyApp.Native.Poke", FrameKind.User))
            .CallSite.ShouldBe("MyApp.Native.Poke");
    }

    [Fact]
    public void A_user_frame_that_calls_native_code_directly_stands_alone()
    {
        Stack(("libc.so.6!write", FrameKind.Native), ("MyApp.Native.Poke", FrameKind.User)).CallSite.ShouldBe("MyApp.Native.Poke");
    }

    [Fact]
    public void A_stack_without_application_frames_has_no_call_site()
    {
        Stack(("libc.so.6!futex", FrameKind.Native), ("System.Threading.Monitor.Enter", FrameKind.Framework), ("0x7f00", FrameKind.Unknown))
            .CallSite.ShouldBeNull();
        CallStack.Empty.CallSite.ShouldBeNull();
    }

    [Theory]
    [InlineData("System.IO.FileStream.Write", "FileStream.Write")]
    [InlineData("Program.Main", "Program.Main")]
    [InlineData("Main", "Main")]
    [InlineData("System.Runtime.CompilerServices.TaskAwaiter<System.Int32>.GetResult", "TaskAwaiter<System.Int32>.GetResult")]
    [InlineData("System.Span`1[System.Byte].Fill", "Span`1[System.Byte].Fill")]
    [InlineData("System.Collections.Generic.Dictionary<System.String, System.Collections.Generic.List<System.Int32>>.TryAdd", "Dictionary<System.String, System.Collections.Generic.List<System.Int32>>.TryAdd")]
    public void Short_names_drop_the_namespace(string name, string expected) => CallStack.ShortName(name).ShouldBe(expected);

    [Fact]
    public void Ranking_merges_stacks_that_read_the_same_and_keeps_the_most_frequent()
    {
        var same = Stack(("System.IO.FileStream.Write", FrameKind.Framework), ("MyApp.Log", FrameKind.User));
        var other = Stack(("System.Console.WriteLine", FrameKind.Framework), ("MyApp.Print", FrameKind.User));
        var names = new CallStacks(new Dictionary<int, CallStack> { [1] = same, [2] = same, [3] = other });

        var ranked = CallSites.Rank([new StackCount(3, 50), new StackCount(1, 40), new StackCount(2, 30), new StackCount(99, 1000)], names);

        ranked.Select(r => r.Count).ShouldBe([70L, 50L]);
        CallSites.Headline(ranked).ShouldBe("MyApp.Log → FileStream.Write");
        CallSites.Samples(ranked)[0].Frames.ShouldBe(["System.IO.FileStream.Write", "MyApp.Log"]);
    }

    [Fact]
    public void Merging_a_scaled_estimate_with_exact_counts_keeps_every_walked_call_as_walked()
    {
        // One thread's 72 calls scaled from 17 walked, another's 16 calls all walked (exact), a third's 10 exact.
        var same = Stack(("System.IO.FileStream.Write", FrameKind.Framework), ("MyApp.Log", FrameKind.User));
        var names = new CallStacks(new Dictionary<int, CallStack> { [1] = same, [2] = same, [3] = same });

        var mixed = CallSites.Rank([new StackCount(1, 72) { Sampled = 17 }, new StackCount(2, 16)], names).ShouldHaveSingleItem();
        var exact = CallSites.Rank([new StackCount(2, 16), new StackCount(3, 10)], names).ShouldHaveSingleItem();

        (mixed.Count, mixed.Sampled).ShouldBe((88L, 33L));
        CallSites.Samples([mixed])[0].Sampled.ShouldBe(33);
        (exact.Count, exact.Sampled).ShouldBe((26L, 0L));
        CallSites.Samples([exact])[0].Sampled.ShouldBeNull();
    }

    [Theory]
    [InlineData("Shop.Orders+<LoadAsync>d__8.MoveNext", "Shop.Orders.LoadAsync")]
    [InlineData("Npgsql.NpgsqlCommand+<ExecuteScalar>d__113.MoveNext", "Npgsql.NpgsqlCommand.ExecuteScalar")]
    [InlineData("Shop.Program+<>c.<Main>b__0_1", "Shop.Program+<>c.<Main>b__0_1")]
    [InlineData("Shop.Orders.Load", "Shop.Orders.Load")]
    public void An_async_methods_state_machine_reads_as_the_method(string frame, string readable) =>
        CallStack.Readable(frame).ShouldBe(readable);
}
