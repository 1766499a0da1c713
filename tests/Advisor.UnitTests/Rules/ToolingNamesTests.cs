using Advisor.Core.Processes;

namespace Advisor.UnitTests.Rules;

public class ToolingNamesTests
{
    [Theory]
    [InlineData("/usr/bin/dotnet test", ToolingNames.Sdk)]
    [InlineData("dotnet build -c Release", ToolingNames.Sdk)]
    [InlineData("/usr/share/dotnet/dotnet /usr/share/dotnet/sdk/10.0.401/MSBuild.dll -nologo -nodemode:1", ToolingNames.MsBuild)]
    [InlineData("/usr/share/dotnet/dotnet exec /usr/share/dotnet/sdk/10.0.401/vstest.console.dll --port:41000", ToolingNames.TestPlatform)]
    [InlineData("/usr/share/dotnet/dotnet /usr/share/dotnet/sdk/10.0.401/Roslyn/bincore/VBCSCompiler.dll -pipename:x", ToolingNames.Compiler)]
    [InlineData("/usr/share/dotnet/dotnet /usr/share/dotnet/sdk/10.0.401/dotnet.dll test", ToolingNames.Sdk)]
    public void The_SDKs_processes_are_tooling(string commandLine, string whose) =>
        ToolingNames.OfProcess(commandLine).ShouldBe(whose);

    [Theory]
    [InlineData("/usr/share/dotnet/dotnet exec --runtimeconfig /src/Ledger/bin/Release/net10.0/LedgerTests.runtimeconfig.json /src/Ledger/bin/Release/net10.0/testhost.dll --port 41000")]
    [InlineData("dotnet MyService.dll --urls http://+:8080")]
    [InlineData("/usr/bin/dotnet run")]
    [InlineData("/srv/myservice/MyService")]
    public void Applications_and_the_testhost_that_runs_the_tests_are_not(string commandLine)
    {
        // `dotnet run` is the SDK until it starts the app: the app is another process.
        var expected = commandLine == "/usr/bin/dotnet run" ? ToolingNames.Sdk : null;
        ToolingNames.OfProcess(commandLine).ShouldBe(expected);
    }

    [Theory]
    [InlineData("dotnet", "/usr/bin/dotnet exec --runtimeconfig a.json /x/bin/testhost.dll --port 1", "testhost")]
    [InlineData("dotnet", "dotnet samples/Svc/bin/Release/net10.0/Svc.dll --idle 3", "Svc")]
    [InlineData("dotnet", "/usr/bin/dotnet test", "dotnet")]
    [InlineData("MyService", "/srv/MyService --port 1", "MyService")]
    [InlineData("UnbufferedWrite", "/src/samples/UnbufferedWriter/bin/Release/net10.0/UnbufferedWriter --count 20000", "UnbufferedWriter")]
    [InlineData("sh", "/bin/bash -c true", "sh")]
    public void A_dotnet_process_is_named_by_its_assembly(string name, string commandLine, string display) =>
        ToolingNames.DisplayName(name, commandLine).ShouldBe(display);

    [Theory]
    [InlineData("Microsoft.VisualStudio.TestPlatform.CrossPlatEngine.Execution.RunTestsWithSources.Execute", ToolingNames.TestPlatform)]
    [InlineData("Xunit.Sdk.TestInvoker`1.CallTestMethod", ToolingNames.TestPlatform)]
    [InlineData("Microsoft.Build.BackEnd.RequestBuilder.BuildProject", ToolingNames.MsBuild)]
    [InlineData("Microsoft.CodeAnalysis.CSharp.CSharpCompilation.Emit", ToolingNames.Compiler)]
    [InlineData("Microsoft.DotNet.Cli.Program.Main", ToolingNames.Sdk)]
    public void A_tooling_frame_says_whose_it_is(string frame, string whose) =>
        ToolingNames.OfFrame(frame).ShouldBe(whose);
}
