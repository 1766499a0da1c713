using System.Text.Json;
using Advisor.Core.Stacks;

namespace Advisor.Runtime.Symbols;

/// <summary>
/// Whose code a managed method is, from the file its assembly was loaded from: .NET's shared framework, the
/// tooling (the SDK, MSBuild, the compiler, the test platform), a NuGet package the application uses, or the
/// application itself. Type names alone cannot tell Microsoft.Data.Sqlite (a library) from System.IO, nor the
/// application's own assemblies from a package's.
/// </summary>
/// <remarks>
/// What is a package comes from the application's <c>*.deps.json</c> beside the assembly (read once per folder):
/// an assembly listed as a package's runtime asset is that package's; one the build produced is the
/// application's. Used on the report thread only.
/// </remarks>
public sealed class CodeOwners
{
    /// <summary>Assemblies of the test platform, its adapters and runners, MSBuild and the compiler, wherever they were copied.</summary>
    private static readonly string[] ToolingAssemblyPrefixes =
    [
        "testhost", "vstest.", "Microsoft.TestPlatform.", "Microsoft.VisualStudio.TestPlatform.", "Microsoft.VisualStudio.CodeCoverage.",
        "Microsoft.Testing.", "xunit.runner.", "xunit.execution.", "xunit.abstractions", "nunit.engine", "NUnit3.TestAdapter",
        "MSBuild", "Microsoft.Build", "NuGet.", "Microsoft.DotNet.", "Microsoft.NET.Build.", "VBCSCompiler", "csc.", "Microsoft.CodeAnalysis",
    ];

    /// <summary>.NET's own libraries, also when they come as packages (Microsoft.Extensions.* in a console app) or self-contained.</summary>
    private static readonly string[] PlatformAssemblyPrefixes =
    [
        "System.", "Microsoft.Extensions.", "Microsoft.AspNetCore.", "Microsoft.NETCore.", "Microsoft.Win32.", "Microsoft.CSharp",
        "Microsoft.VisualBasic", "netstandard", "mscorlib",
    ];

    private const string DynamicCode = "dynamicClass";

    private readonly Dictionary<string, IReadOnlySet<string>> _packageAssembliesByFolder = new(StringComparer.Ordinal);

    /// <param name="modulePath">The assembly's file; null or empty for dynamic code (compiled lambdas, IL stubs).</param>
    /// <param name="frameworkByName">What the type's name says (<see cref="MethodNames.IsFramework"/>), used when the file is unknown.</param>
    /// <param name="name">The method's full name, used when the file is unknown.</param>
    public FrameKind KindOf(string? modulePath, bool frameworkByName, string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.StartsWith(DynamicCode, StringComparison.Ordinal))
        {
            // Code compiled at run time (expression trees, ASP.NET Core's request delegates) carries the module of
            // whoever built it, the application's too; it is no method the user wrote, and a call site that named it
            // (dynamicClass.lambda_method1, ASP.NET Core logging a result) would blame the user for the framework's calls.
            return FrameKind.Framework;
        }

        if (string.IsNullOrEmpty(modulePath))
        {
            // The runtime names a module's file once, when it loads, or in the rundown when the session ends: a
            // test host attached after its test platform loaded, and gone before any rundown, leaves its methods
            // without one. Their namespaces are their assemblies' names (Microsoft.TestPlatform.*), which say
            // what the file would have said; the test platform must not pass for .NET or the application.
            return StartsWithAny(name, ToolingAssemblyPrefixes) ? FrameKind.Tooling
                : frameworkByName ? FrameKind.Framework
                : FrameKind.User;
        }

        var file = Path.GetFileName(modulePath);
        if (StartsWithAny(file, ToolingAssemblyPrefixes) || InFolderPair(modulePath, "sdk", IsVersion))
        {
            return FrameKind.Tooling;
        }

        if (InFolderPair(modulePath, "shared", next => next.StartsWith("Microsoft.", StringComparison.Ordinal)))
        {
            return FrameKind.Framework;
        }

        var platform = StartsWithAny(file, PlatformAssemblyPrefixes);
        if (PackageAssemblies(Path.GetDirectoryName(modulePath) ?? "").Contains(file) || InNuGetFolder(modulePath))
        {
            return platform ? FrameKind.Framework : FrameKind.Library;
        }

        return platform ? FrameKind.Framework : FrameKind.User;
    }

    /// <summary>Whether the path holds the folder <paramref name="name"/> followed by one that <paramref name="next"/> accepts (<c>…/sdk/10.0.401/…</c>).</summary>
    private static bool InFolderPair(string path, string name, Func<string, bool> next)
    {
        var parts = path.Split('/');
        for (var i = 0; i + 1 < parts.Length - 1; i++)
        {
            if (parts[i] == name && next(parts[i + 1]))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Loaded straight from a NuGet packages folder (the global cache, or a fallback folder), as tools and tests may.</summary>
    private static bool InNuGetFolder(string path) =>
        path.Contains("/.nuget/packages/", StringComparison.Ordinal) || path.Contains("/nuget/packages/", StringComparison.Ordinal);

    private static bool IsVersion(string folder) => folder.Length > 0 && char.IsAsciiDigit(folder[0]);

    private static bool StartsWithAny(string file, string[] prefixes)
    {
        foreach (var prefix in prefixes)
        {
            if (file.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    private IReadOnlySet<string> PackageAssemblies(string folder)
    {
        if (!_packageAssembliesByFolder.TryGetValue(folder, out var assemblies))
        {
            _packageAssembliesByFolder[folder] = assemblies = ReadPackageAssemblies(folder);
        }

        return assemblies;
    }

    /// <summary>The file names of every package's runtime assemblies in the folder's deps.json files.</summary>
    private static HashSet<string> ReadPackageAssemblies(string folder)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        string[] files;
        try
        {
            files = folder.Length == 0 ? [] : Directory.GetFiles(folder, "*.deps.json");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return names;
        }

        foreach (var file in files)
        {
            try
            {
                using var deps = JsonDocument.Parse(File.ReadAllBytes(file));
                AddPackageAssemblies(deps.RootElement, names);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException or InvalidOperationException)
            {
                // A deps.json we cannot read names no package: its assemblies count as the application's.
            }
        }

        return names;
    }

    private static void AddPackageAssemblies(JsonElement deps, HashSet<string> names)
    {
        if (!deps.TryGetProperty("libraries", out var libraries) || !deps.TryGetProperty("targets", out var targets))
        {
            return;
        }

        var packages = libraries.EnumerateObject()
            .Where(l => l.Value.TryGetProperty("type", out var type) && type.GetString() == "package")
            .Select(l => l.Name)
            .ToHashSet(StringComparer.Ordinal);
        foreach (var target in targets.EnumerateObject())
        {
            foreach (var library in target.Value.EnumerateObject().Where(l => packages.Contains(l.Name)))
            {
                if (library.Value.TryGetProperty("runtime", out var runtime))
                {
                    foreach (var asset in runtime.EnumerateObject())
                    {
                        names.Add(Path.GetFileName(asset.Name));
                    }
                }
            }
        }
    }
}
