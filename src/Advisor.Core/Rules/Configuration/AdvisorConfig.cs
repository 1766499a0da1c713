namespace Advisor.Core.Rules.Configuration;

/// <summary>
/// The user's configuration (advisor.yaml): per-rule overrides and extra rule directories.
/// </summary>
/// <param name="RuleDirectories">Directories of custom YAML rules, resolved against the file's directory.</param>
/// <param name="Source">The file it came from, for error messages.</param>
public sealed record AdvisorConfig(IReadOnlyList<RuleOverride> Rules, IReadOnlyList<string> RuleDirectories, string Source)
{
    /// <summary>The default file name, looked for in the working directory.</summary>
    public const string FileName = "advisor.yaml";

    public static AdvisorConfig Empty { get; } = new([], [], "(no configuration)");
}
