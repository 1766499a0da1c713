namespace Advisor.IntegrationTests.Support;

/// <summary>Where the built tool and samples are, for the configuration these tests were built in.</summary>
internal static class RepoLayout
{
    public static string Root { get; } = FindRoot();

    /// <summary>Debug or Release, read from our own output path (bin/&lt;Configuration&gt;/net10.0).</summary>
    public static string Configuration { get; } =
        new DirectoryInfo(AppContext.BaseDirectory.TrimEnd('/')).Parent!.Name;

    public static string Tool => Path.Combine(Root, "src", "Advisor.Cli", "bin", Configuration, "net10.0", "dotnet-advisor");

    public static string Sample(string name) =>
        Path.Combine(Root, "samples", name, "bin", Configuration, "net10.0", name + ".dll");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Advisor.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Advisor.sln not found above " + AppContext.BaseDirectory);
    }
}
