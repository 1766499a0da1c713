using System.Globalization;

namespace Advisor.IntegrationTests.Support;

/// <summary>
/// A throwaway PostgreSQL for the tests: a fresh cluster (initdb, trust authentication, superuser
/// <c>postgres</c>) in a temp directory, served on 127.0.0.1 and a free port, started on first use of
/// <see cref="Endpoint"/> and stopped by its pid on Dispose, the directory deleted. An xunit class or collection
/// fixture (<see cref="RoundTripServers"/>), so the tests of a class or collection share one server. PostgreSQL
/// refuses to run as root: as root, initdb and the server run as the <c>postgres</c> user (setpriv, which execs:
/// the pid is the server's own). Without PostgreSQL installed, a test that asks for it is skipped (failed in CI).
/// </summary>
public sealed class PostgresServer : IDisposable
{
    private const string User = "postgres";

    private readonly Lock _gate = new();
    private string? _endpoint;
    private DirectoryInfo? _dir;
    private ServerProcess? _server;

    /// <summary><c>127.0.0.1:PORT</c>; starts the server the first time (skips the test when it is not installed).</summary>
    public string Endpoint
    {
        get
        {
            lock (_gate)
            {
                return _endpoint ??= Start();
            }
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            Stop();
        }
    }

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

    private string Start()
    {
        string? bin = FindBinaries();
        Privileges.RequireInstalled("PostgreSQL (initdb, postgres)", bin is not null && (!Privileges.IsRoot || UserExists(User)));
        _dir = Directory.CreateTempSubdirectory("advisor-pg-");
        try
        {
            // As root, everything runs as postgres, which must own the cluster's directory (and its socket's).
            string[] asUser = Privileges.IsRoot ? ["setpriv", $"--reuid={User}", $"--regid={User}", "--init-groups"] : [];
            if (Privileges.IsRoot)
            {
                var chown = ProcessRunner.Run("chown", [$"{User}:", _dir.FullName], TimeSpan.FromSeconds(30));
                chown.ExitCode.ShouldBe(0, chown.Stderr);
            }

            string data = Path.Combine(_dir.FullName, "data");
            string[] initdb = [.. asUser, Path.Combine(bin!, "initdb"), "-D", data, "-A", "trust", "-U", User, "-E", "UTF8", "--locale=C", "--no-sync"];
            var init = ProcessRunner.Run(initdb[0], initdb[1..], TimeSpan.FromMinutes(2), _dir.FullName);
            init.ExitCode.ShouldBe(0, init.Stdout + init.Stderr);

            // A port found free may be taken before the server binds it: a few tries.
            for (int attempt = 1; ; attempt++)
            {
                int port = FreePort.Find();
                // Throwaway data: no fsync, no waiting for the WAL at commit (the tests are about round trips, not the disk).
                string[] postgres = [.. asUser, Path.Combine(bin!, "postgres"), "-D", data, "-k", _dir.FullName, "-p", port.ToString(CultureInfo.InvariantCulture),
                    "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"];
                _server = ServerProcess.Start(postgres[0], postgres[1..], _dir.FullName, stopWithInterrupt: true);
                try
                {
                    string isReady = Path.Combine(bin!, "pg_isready");
                    _server.WaitUntil(() => ProcessRunner.Run(isReady, ["-q", "-h", "127.0.0.1", "-p", $"{port}", "-t", "1"], TimeSpan.FromSeconds(10)).ExitCode == 0, "postgres");
                    return $"127.0.0.1:{port}";
                }
                catch (InvalidOperationException) when (attempt < 3 && _server.Output.Contains("could not bind", StringComparison.Ordinal))
                {
                    _server.Dispose();
                    _server = null;
                }
            }
        }
        catch
        {
            Stop(); // nothing left behind for the next test to trip on
            throw;
        }
    }

    private void Stop()
    {
        _server?.Dispose();
        _server = null;
        _dir?.Delete(recursive: true);
        _dir = null;
    }
}
