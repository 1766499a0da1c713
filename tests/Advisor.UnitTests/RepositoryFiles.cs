namespace Advisor.UnitTests;

/// <summary>Files of the repository the tests check against (docs, schemas), found from the test binaries up.</summary>
internal static class RepositoryFiles
{
    public static string Root { get; } = FindRoot();

    public static string PathOf(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Advisor.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No Advisor.sln above {AppContext.BaseDirectory}.");
    }
}
