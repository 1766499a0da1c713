using System.Globalization;

namespace Advisor.IntegrationTests.Support;

/// <summary>
/// A throwaway PostgreSQL for the tests (<see cref="OnDemandServer"/>): a fresh cluster (initdb, trust
/// authentication, superuser <c>postgres</c>). PostgreSQL refuses to run as root: as root, initdb and the server run
/// as the <c>postgres</c> user. Without PostgreSQL installed, a test that asks for it is skipped (failed in CI).
/// </summary>
public sealed class PostgresServer : OnDemandServer
{
    private const string User = "postgres";

    private string? _bin;

    protected override string DirectoryPrefix => "advisor-pg-";

    protected override string PortTaken => "could not bind";

    // As root, everything runs as postgres (setpriv execs: the pid is the server's own).
    private static string[] AsUser => Privileges.IsRoot ? ["setpriv", $"--reuid={User}", $"--regid={User}", "--init-groups"] : [];

    /// <summary>The directory of initdb and postgres: pg_config's, else the newest /usr/lib/postgresql/*/bin.</summary>
    private static string? FindBinaries()
    {
        static bool Complete(string dir) => File.Exists(Path.Combine(dir, "initdb")) && File.Exists(Path.Combine(dir, "postgres"));

        try
        {
            var pgConfig = ProcessRunner.Run("pg_config", ["--bindir"], TimeSpan.FromSeconds(30));
            if (pgConfig.ExitCode == 0 && Complete(pgConfig.Stdout.Trim()))
            {
                return pgConfig.Stdout.Trim();
            }
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // No pg_config on the PATH (Debian's comes with libpq-dev or postgresql-common).
        }

        return Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql")
                .Select(version => Path.Combine(version, "bin"))
                .Where(Complete)
                .OrderByDescending(bin => int.TryParse(Path.GetFileName(Path.GetDirectoryName(bin)), NumberStyles.None, CultureInfo.InvariantCulture, out int v) ? v : 0)
                .FirstOrDefault()
            : null;
    }

    private static bool UserExists(string name) =>
        File.ReadLines("/etc/passwd").Any(line => line.StartsWith(name + ":", StringComparison.Ordinal));

    protected override void Prepare(DirectoryInfo dir)
    {
        _bin = FindBinaries();
        Privileges.RequireInstalled("PostgreSQL (initdb, postgres)", _bin is not null && (!Privileges.IsRoot || UserExists(User)));
        if (Privileges.IsRoot)
        {
            // postgres must own the cluster's directory (and its socket's).
            var chown = ProcessRunner.Run("chown", [$"{User}:", dir.FullName], TimeSpan.FromSeconds(30));
            chown.ExitCode.ShouldBe(0, chown.Stderr);
        }

        string[] initdb = [.. AsUser, Path.Combine(_bin!, "initdb"), "-D", Data(dir), "-A", "trust", "-U", User, "-E", "UTF8", "--locale=C", "--no-sync"];
        var init = ProcessRunner.Run(initdb[0], initdb[1..], TimeSpan.FromMinutes(2), dir.FullName);
        init.ExitCode.ShouldBe(0, init.Stdout + init.Stderr);
    }

    private protected override ServerProcess Launch(int port, DirectoryInfo dir)
    {
        // Throwaway data: no fsync, no waiting for the WAL at commit (the tests are about round trips, not the disk).
        string[] postgres = [.. AsUser, Path.Combine(_bin!, "postgres"), "-D", Data(dir), "-k", dir.FullName, "-p", port.ToString(CultureInfo.InvariantCulture),
            "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"];
        return ServerProcess.Start(postgres[0], postgres[1..], dir.FullName, stopWithInterrupt: true);
    }

    protected override bool Ready(int port) =>
        ProcessRunner.Run(Path.Combine(_bin!, "pg_isready"), ["-q", "-h", "127.0.0.1", "-p", $"{port}", "-t", "1"], TimeSpan.FromSeconds(10)).ExitCode == 0;

    private static string Data(DirectoryInfo dir) => Path.Combine(dir.FullName, "data");
}
