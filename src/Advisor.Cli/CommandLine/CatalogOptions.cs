using System.CommandLine;
using Advisor.Core.Failures;
using Advisor.Core.Rules;
using Advisor.Core.Rules.Configuration;

namespace Advisor.Cli.CommandLine;

/// <summary>--config and --rules: which rules are in force, with which thresholds and severities.</summary>
internal sealed class CatalogOptions
{
    public Option<string?> Config { get; } = new("--config")
    {
        Description = $"Configuration file: per-rule severities (none turns a rule off) and thresholds, extra rule directories. Default: {AdvisorConfig.FileName} in the working directory, if there is one.",
    };

    public Option<string[]> Rules { get; } = new("--rules")
    {
        Description = "A directory of custom YAML rules to add (repeatable).",
        Arity = ArgumentArity.ZeroOrMore,
        AllowMultipleArgumentsPerToken = false,
    };

    public void AddTo(Command command)
    {
        command.Options.Add(Config);
        command.Options.Add(Rules);
    }

    public CatalogChoice Bind(ParseResult result) => new(result.GetValue(Config), result.GetValue(Rules) ?? []);
}

/// <summary>The rule options as values; <see cref="Load"/> reads and validates them (exit 2 on any problem).</summary>
internal sealed record CatalogChoice(string? ConfigPath, IReadOnlyList<string> RuleDirectories)
{
    public static CatalogChoice Default { get; } = new(null, []);

    public RuleCatalog Load()
    {
        var config = ConfigPath switch
        {
            null when File.Exists(AdvisorConfig.FileName) => ConfigLoader.LoadFile(AdvisorConfig.FileName),
            null => AdvisorConfig.Empty,
            _ => ConfigLoader.LoadFile(InputFile.Require(ConfigPath, "--config")),
        };
        return RuleCatalog.Load(config, RuleDirectories);
    }
}
