using Advisor.Runtime.Symbols;

namespace Advisor.UnitTests.Runtime;

public class MethodNamesTests
{
    [Theory]
    [InlineData("System.IO.FileStream", "Write", "System.IO.FileStream.Write")]
    [InlineData("Program", "<<Main>$>g__WriteRecords|0_2", "Program.WriteRecords")]
    [InlineData("MyApp.Worker", "<Run>g__Step|3_0", "MyApp.Worker.Step")]
    [InlineData("Program+<>c", "<<Main>$>b__0_8", "Program.Main (lambda)")]
    [InlineData("Scenarios.SyncOverAsync+<>c__DisplayClass2_0", "<Run>b__1", "Scenarios.SyncOverAsync.Run (lambda)")]
    [InlineData("", "IL_STUB_PInvoke", "IL_STUB_PInvoke")]
    public void Display_names_join_type_and_method_and_unmangle_local_functions(string type, string method, string expected) =>
        MethodNames.Display(type, method).ShouldBe(expected);

    [Theory]
    [InlineData("System.IO.FileStream", true)]
    [InlineData("Microsoft.AspNetCore.Http.HttpContext", true)]
    [InlineData("Interop+Sys", true)]
    [InlineData("dynamicClass", true)]
    [InlineData("Serilog.Sinks.File.FileSink", false)]
    [InlineData("Program", false)]
    [InlineData("SystemsUnlimited.App", false)]
    public void Framework_code_is_told_from_application_code(string type, bool framework) =>
        MethodNames.IsFramework(type).ShouldBe(framework);

    [Fact]
    public void The_method_map_finds_the_body_containing_an_address_in_its_own_process()
    {
        var map = new ManagedMethodMap();
        map.Add(10, 0x1000, 0x100, "System.IO.FileStream", "Write");
        map.Add(10, 0x2000, 0x40, "MyApp.Log", "Write");
        map.Add(10, 0x2000, 0x40, "MyApp.Log", "Write"); // the rundown repeats what a load event said
        map.Add(11, 0x1000, 0x10, "Other", "Process");

        map.TryFind(10, 0x1000, out var m).ShouldBeTrue();
        m.Name.ShouldBe("System.IO.FileStream.Write");
        m.IsFramework.ShouldBeTrue();
        map.TryFind(10, 0x10FF, out _).ShouldBeTrue();
        map.TryFind(10, 0x1100, out _).ShouldBeFalse();
        map.TryFind(10, 0x203F, out m).ShouldBeTrue();
        m.IsFramework.ShouldBeFalse();
        map.TryFind(10, 0x0FFF, out _).ShouldBeFalse();
        map.TryFind(11, 0x1005, out m).ShouldBeTrue();
        m.Name.ShouldBe("Other.Process");
        map.TryFind(12, 0x1000, out _).ShouldBeFalse();
    }
}
