using Advisor.Core.Stacks;
using Advisor.Runtime.Symbols;

namespace Advisor.UnitTests.Runtime;

public class StackSymbolizerTests
{
    private const int Target = 10;

    // Above the kernel's pid_max: no such process exists here, so nothing of its own can be read from /proc.
    private const int GoneChild = 5_000_000;
    private const int DotNetChild = 5_000_001;

    private readonly ManagedMethodMap _methods = new();

    public StackSymbolizerTests()
    {
        _methods.Add(Target, 0x1000, 0x100, "System.Diagnostics.Process", "Start");
        _methods.Add(Target, 0x2000, 0x100, "MyApp.Spawner", "Run");
    }

    [Fact]
    public void A_forked_child_gone_without_maps_of_its_own_is_named_through_the_target_it_copied()
    {
        var stack = new StackSymbolizer(_methods, new MapsHistory(), Target).Symbolize(GoneChild, [0x1010, 0x2021]);

        stack.Frames.Select(f => f.Name).ShouldBe(["System.Diagnostics.Process.Start", "MyApp.Spawner.Run"]);
        stack.CallSite.ShouldBe("MyApp.Spawner.Run → Process.Start");
    }

    [Fact]
    public void A_child_with_methods_of_its_own_is_named_by_them()
    {
        _methods.Add(DotNetChild, 0x1000, 0x100, "TestHost", "Main");

        var stack = new StackSymbolizer(_methods, new MapsHistory(), Target).Symbolize(DotNetChild, [0x1010, 0x2021]);

        stack.Frames.Select(f => f.Name).ShouldBe(["TestHost.Main", "0x2020"]);
    }
}
