using Advisor.Linux.Procfs;
using Advisor.Runtime.Discovery;
using Advisor.Runtime.Launch;

namespace Advisor.UnitTests.Runtime;

public class LaunchDecisionsTests
{
    [Theory]
    [InlineData("DOTNET_EnableDiagnostics", "0", "DOTNET_EnableDiagnostics=0")]
    [InlineData("COMPlus_EnableDiagnostics", " 0", "COMPlus_EnableDiagnostics=0")]
    [InlineData("DOTNET_EnableDiagnostics_IPC", "0", "DOTNET_EnableDiagnostics_IPC=0")]
    [InlineData("DOTNET_EnableDiagnostics", "1", null)]
    [InlineData("DOTNET_gcServer", "0", null)]
    public void Diagnostics_are_off_only_when_a_switch_says_0(string name, string value, string? expected) =>
        DiagnosticsSwitch.DisabledBy(new Dictionary<string, string> { [name] = value }).ShouldBe(expected);

    [Fact]
    public void The_environment_of_a_process_is_read_from_proc()
    {
        var environment = ProcessEnvironment.Read(Environment.ProcessId);

        environment.ContainsKey("PATH").ShouldBeTrue();
        ProcessEnvironment.Read(int.MaxValue).ShouldBeEmpty();
    }

    [Fact]
    public void Only_dotnet_and_app_hosts_are_told_to_suspend_at_the_port()
    {
        var dir = Directory.CreateTempSubdirectory("advisor-launch-");
        try
        {
            var host = Path.Combine(dir.FullName, "MyApp");
            File.WriteAllText(host, "");
            File.WriteAllText(host + ".dll", "");
            File.WriteAllText(host + ".runtimeconfig.json", "{}");
            var script = Path.Combine(dir.FullName, "run.sh");
            File.WriteAllText(script, "");

            DotNetCommand.IsLikely("/usr/bin/dotnet").ShouldBeTrue();
            DotNetCommand.IsLikely(host).ShouldBeTrue();
            DotNetCommand.IsLikely(script).ShouldBeFalse();
            DotNetCommand.IsLikely("/usr/bin/env").ShouldBeFalse();
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
