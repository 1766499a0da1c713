using Advisor.Core.Stacks;
using Advisor.Runtime.Symbols;

namespace Advisor.UnitTests.Runtime;

/// <summary>Whose code a managed method is, from the file its assembly came from.</summary>
public sealed class CodeOwnersTests : IDisposable
{
    private readonly DirectoryInfo _app = Directory.CreateTempSubdirectory("advisor-owners-");
    private readonly CodeOwners _owners = new();

    public CodeOwnersTests()
    {
        // A test project's output: its own assembly, a project it references, and packages copied beside them.
        File.WriteAllText(Path.Combine(_app.FullName, "LedgerTests.deps.json"), """
            {
              "targets": { ".NETCoreApp,Version=v10.0": {
                "LedgerTests/1.0.0": { "dependencies": { "Serilog": "4.4.0" }, "runtime": { "LedgerTests.dll": {} } },
                "Ledger/1.0.0": { "runtime": { "Ledger.dll": {} } },
                "Serilog/4.4.0": { "runtime": { "lib/net9.0/Serilog.dll": {} } },
                "Microsoft.Data.Sqlite.Core/10.0.15": { "runtime": { "lib/net8.0/Microsoft.Data.Sqlite.dll": {} } },
                "Microsoft.Extensions.Logging/10.0.0": { "runtime": { "lib/net10.0/Microsoft.Extensions.Logging.dll": {} } },
                "xunit.core/2.9.3": { "runtime": { "lib/netstandard2.0/xunit.core.dll": {} } }
              } },
              "libraries": {
                "LedgerTests/1.0.0": { "type": "project" },
                "Ledger/1.0.0": { "type": "project" },
                "Serilog/4.4.0": { "type": "package" },
                "Microsoft.Data.Sqlite.Core/10.0.15": { "type": "package" },
                "Microsoft.Extensions.Logging/10.0.0": { "type": "package" },
                "xunit.core/2.9.3": { "type": "package" }
              }
            }
            """);
    }

    public void Dispose() => _app.Delete(recursive: true);

    private string InApp(string file) => Path.Combine(_app.FullName, file);

    [Fact]
    public void The_applications_assemblies_and_its_projects_are_user_code()
    {
        _owners.KindOf(InApp("LedgerTests.dll"), frameworkByName: false, "App.Method").ShouldBe(FrameKind.User);
        _owners.KindOf(InApp("Ledger.dll"), frameworkByName: false, "App.Method").ShouldBe(FrameKind.User);
    }

    [Fact]
    public void Code_compiled_at_run_time_is_not_the_users_whatever_module_it_was_built_in()
    {
        _owners.KindOf(InApp("Ledger.dll"), frameworkByName: false, "dynamicClass.lambda_method1").ShouldBe(FrameKind.Framework);
        _owners.KindOf(null, frameworkByName: false, "dynamicClass.lambda_method1").ShouldBe(FrameKind.Framework);
    }

    [Fact]
    public void A_package_is_a_library_even_when_its_names_start_with_Microsoft()
    {
        _owners.KindOf(InApp("Serilog.dll"), frameworkByName: false, "App.Method").ShouldBe(FrameKind.Library);
        _owners.KindOf(InApp("Microsoft.Data.Sqlite.dll"), frameworkByName: true, "App.Method").ShouldBe(FrameKind.Library);
        _owners.KindOf(InApp("xunit.core.dll"), frameworkByName: false, "App.Method").ShouldBe(FrameKind.Library);
    }

    [Fact]
    public void Dotnets_own_libraries_are_framework_wherever_they_come_from()
    {
        _owners.KindOf(InApp("Microsoft.Extensions.Logging.dll"), frameworkByName: true, "App.Method").ShouldBe(FrameKind.Framework);
        _owners.KindOf("/usr/share/dotnet/shared/Microsoft.NETCore.App/10.0.12/System.Private.CoreLib.dll", frameworkByName: true, "App.Method").ShouldBe(FrameKind.Framework);
        _owners.KindOf("/usr/share/dotnet/shared/Microsoft.AspNetCore.App/10.0.12/Microsoft.AspNetCore.Server.Kestrel.Core.dll", frameworkByName: true, "App.Method").ShouldBe(FrameKind.Framework);
    }

    [Theory]
    [InlineData("testhost.dll")]
    [InlineData("Microsoft.TestPlatform.CommunicationUtilities.dll")]
    [InlineData("Microsoft.VisualStudio.TestPlatform.Common.dll")]
    [InlineData("xunit.runner.visualstudio.testadapter.dll")]
    [InlineData("xunit.execution.dotnet.dll")]
    public void The_test_platform_copied_beside_the_tests_is_tooling(string file) =>
        _owners.KindOf(InApp(file), frameworkByName: false, "App.Method").ShouldBe(FrameKind.Tooling);

    [Fact]
    public void Whatever_the_SDK_ships_is_tooling()
    {
        _owners.KindOf("/usr/share/dotnet/sdk/10.0.401/dotnet.dll", frameworkByName: false, "App.Method").ShouldBe(FrameKind.Tooling);
        _owners.KindOf("/usr/share/dotnet/sdk/10.0.401/Sdks/Microsoft.NET.Sdk/tools/net10.0/Microsoft.NET.Build.Tasks.dll", frameworkByName: true, "App.Method").ShouldBe(FrameKind.Tooling);
    }

    [Fact]
    public void Dynamic_code_has_no_file_and_keeps_what_its_name_says()
    {
        _owners.KindOf(null, frameworkByName: true, "System.Linq.Expressions.Compiler.Lambda").ShouldBe(FrameKind.Framework);
        _owners.KindOf("", frameworkByName: false, "Ledger.Program.Main (lambda)").ShouldBe(FrameKind.User);
    }

    /// <summary>
    /// CI's false ADV013 on a clean `dotnet test`: the test host's session began after its test platform had
    /// loaded, and the host exited before a rundown named those modules' files.
    /// </summary>
    [Theory]
    [InlineData("Microsoft.VisualStudio.TestPlatform.CommunicationUtilities.TcpClientExtensions.MessageLoopAsync")]
    [InlineData("Microsoft.TestPlatform.CrossPlatEngine.Execution.RunTestsWithSources.RunTests")]
    [InlineData("Microsoft.Build.Execution.BuildManager.Build")]
    [InlineData("NuGet.Commands.RestoreCommand.ExecuteAsync")]
    public void A_method_whose_module_file_is_unknown_is_tooling_when_its_namespace_names_a_tooling_assembly(string name) =>
        _owners.KindOf(null, frameworkByName: name.StartsWith("Microsoft.", StringComparison.Ordinal), name).ShouldBe(FrameKind.Tooling);

    [Fact]
    public void A_folder_without_a_readable_deps_json_makes_its_assemblies_the_applications()
    {
        File.WriteAllText(InApp("LedgerTests.deps.json"), "{ not json");
        new CodeOwners().KindOf(InApp("Serilog.dll"), frameworkByName: false, "App.Method").ShouldBe(FrameKind.User);
    }
}
