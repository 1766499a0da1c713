using Advisor.IntegrationTests.Support;

namespace Advisor.IntegrationTests;

/// <summary>Files the tool writes: 0600, and a symlink at the path is replaced, never written through.</summary>
public sealed class OutputFileTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("advisor-out-");

    public void Dispose() => _dir.Delete(recursive: true);

    [SkippableFact]
    public void A_symlink_at_the_output_path_is_replaced_and_its_target_left_alone()
    {
        Privileges.RequireTracing();
        var victim = Path.Combine(_dir.FullName, "victim.txt");
        File.WriteAllText(victim, "precious");
        var link = Path.Combine(_dir.FullName, "report.json");
        File.CreateSymbolicLink(link, victim);

        var result = ProcessRunner.Advisor("run", "-q", "-o", link, "-o", Path.Combine(_dir.FullName, "report.md"), "--", "true");

        result.ExitCode.ShouldBe(0, result.Stderr);
        File.ReadAllText(victim).ShouldBe("precious");
        new FileInfo(link).LinkTarget.ShouldBeNull();
        File.ReadAllText(link).ShouldContain("\"schemaVersion\": 1");
        new FileInfo(link).UnixFileMode.ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        new FileInfo(Path.Combine(_dir.FullName, "report.md")).UnixFileMode.ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }
}
