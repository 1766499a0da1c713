using Advisor.Linux.Symbols;
using Advisor.UnitTests.Symbols;

namespace Advisor.UnitTests.Unwinding;

/// <summary>The native modules a .NET app on this machine runs: where the test process (or its packages) has them.</summary>
internal static class RealModules
{
    public const string LibC = "libc";
    public const string SystemNative = "System.Native";
    public const string Sqlite = "e_sqlite3";

    /// <returns>The module's path; skips (fails in CI) when this machine does not have it.</returns>
    public static string Path(string module)
    {
        var path = module switch
        {
            LibC => LibCPath(),
            SystemNative => System.IO.Path.Combine(System.IO.Path.GetDirectoryName(typeof(object).Assembly.Location)!, "libSystem.Native.so"),
            Sqlite => SqlitePath(),
            _ => throw new ArgumentOutOfRangeException(nameof(module), module, null),
        };

        if (path is null || !File.Exists(path))
        {
            NativeTools.SkipOrFail($"{module} is not on this machine ({path ?? "not found"})");
        }

        return path!;
    }

    /// <summary>The libc this process runs on, wherever the distribution puts it.</summary>
    private static string? LibCPath() =>
        ProcMaps.Read(Environment.ProcessId).Select(m => m.Path).FirstOrDefault(p => System.IO.Path.GetFileName(p ?? "").StartsWith("libc.so", StringComparison.Ordinal));

    /// <summary>Restoring the solution (samples/SqliteOrders) puts SQLitePCLRaw's native library in the NuGet cache.</summary>
    private static string? SqlitePath()
    {
        var packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } set
            ? set
            : System.IO.Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        var versions = new DirectoryInfo(System.IO.Path.Combine(packages, "sqlitepclraw.lib.e_sqlite3"));
        return versions.Exists
            ? versions.GetDirectories()
                .Select(v => System.IO.Path.Combine(v.FullName, "runtimes", "linux-x64", "native", "libe_sqlite3.so"))
                .Where(File.Exists)
                .OrderDescending(StringComparer.Ordinal)
                .FirstOrDefault()
            : null;
    }
}
