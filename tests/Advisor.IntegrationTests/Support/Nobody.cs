using System.Diagnostics;

namespace Advisor.IntegrationTests.Support;

/// <summary>
/// Runs programs as `nobody` through setpriv, in a directory nobody may write: how the tests see the tool
/// without perf rights, and a target that belongs to another user.
/// </summary>
internal static class Nobody
{
    /// <summary>Opens the directory to nobody (rwx for all).</summary>
    public static DirectoryInfo Share(DirectoryInfo dir)
    {
        dir.UnixFileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupWrite
            | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;
        return dir;
    }

    public static Process Start(DirectoryInfo dir, string program, IEnumerable<string> arguments)
    {
        Require();
        return ProcessRunner.Start("setpriv", [.. Setpriv, program, .. arguments], dir.FullName, Environment(dir));
    }

    /// <summary>The tool, as nobody, to completion.</summary>
    /// <param name="capabilities">Capabilities nobody keeps (ambient), e.g. dac_read_search to read tracefs.</param>
    public static ProcessResult Advisor(DirectoryInfo dir, IEnumerable<string> arguments, params string[] capabilities)
    {
        Require();
        string[] keep = capabilities.Length == 0 ? [] : [$"--inh-caps=+{string.Join(",+", capabilities)}", $"--ambient-caps=+{string.Join(",+", capabilities)}"];
        return ProcessRunner.Run("setpriv", [.. Setpriv, .. keep, RepoLayout.Tool, .. arguments], workingDirectory: dir.FullName, environment: Environment(dir));
    }

    private static string[] Setpriv => ["--reuid=nobody", "--regid=nogroup", "--clear-groups"];

    private static Dictionary<string, string> Environment(DirectoryInfo dir) => new() { ["HOME"] = dir.FullName };

    private static void Require()
    {
        Privileges.RequireUserSwitch();
        Privileges.RequireTool("setpriv");
    }
}
