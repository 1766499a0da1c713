using Advisor.Core.Failures;
using Advisor.Core.Rules.Configuration;
using Advisor.Core.Rules.Loading;

namespace Advisor.Core.Rules;

/// <summary>The rules in force: the built-in catalogue (embedded from /rules at build) plus any the user adds.</summary>
public sealed class RuleCatalog
{
    private const string ResourcePrefix = "rules/";

    public RuleCatalog(IReadOnlyList<RuleDefinition> rules) => Rules = rules;

    public IReadOnlyList<RuleDefinition> Rules { get; }

    public RuleDefinition? Find(string id) =>
        Rules.FirstOrDefault(r => string.Equals(r.Id, id, StringComparison.OrdinalIgnoreCase)
            || string.Equals(r.Name, id, StringComparison.OrdinalIgnoreCase));

    public static RuleCatalog BuiltIn()
    {
        var assembly = typeof(RuleCatalog).Assembly;
        var rules = new List<RuleDefinition>();
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream);
            rules.Add(RuleLoader.Load(reader.ReadToEnd(), resource));
        }

        return new RuleCatalog(rules);
    }

    /// <summary>
    /// The rules in force for a run: the built-in ones, the custom rules of the configured and given
    /// directories, then the configuration's overrides. Every problem is one line of one usage error.
    /// </summary>
    public static RuleCatalog Load(AdvisorConfig config, IEnumerable<string> ruleDirectories)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(ruleDirectories);
        var rules = BuiltIn().Rules.ToList();
        foreach (var rule in config.RuleDirectories.Concat(ruleDirectories).SelectMany(RuleLoader.LoadDirectory))
        {
            if (rules.FirstOrDefault(r => string.Equals(r.Id, rule.Id, StringComparison.OrdinalIgnoreCase)) is { } existing)
            {
                throw new AdvisorException(FailureKind.Usage, $"invalid rule {rule.Source}: id {rule.Id} is already used by {existing.Source}");
            }

            rules.Add(rule);
        }

        return new RuleCatalog(rules).Apply(config);
    }

    /// <summary>The catalogue with a configuration's severities and thresholds in place of the defaults.</summary>
    public RuleCatalog Apply(AdvisorConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var problems = new List<string>();
        var rules = Rules.ToList();
        foreach (var change in config.Rules)
        {
            var index = rules.FindIndex(r => string.Equals(r.Id, change.RuleId, StringComparison.OrdinalIgnoreCase));
            if (index < 0)
            {
                problems.Add($"{config.Source}:{change.Line}: no rule '{change.RuleId}' (see dotnet-advisor rules list)");
                continue;
            }

            var rule = rules[index];
            var thresholds = new Dictionary<string, double>(rule.Thresholds, StringComparer.Ordinal);
            var texts = new Dictionary<string, string>(rule.ThresholdText, StringComparer.Ordinal);
            foreach (var (name, (value, text, line)) in change.Thresholds)
            {
                if (!thresholds.ContainsKey(name))
                {
                    problems.Add($"{config.Source}:{line}: rule {rule.Id} has no threshold '{name}' (it has: {string.Join(", ", rule.Thresholds.Keys)})");
                    continue;
                }

                thresholds[name] = value;
                texts[name] = text;
            }

            rules[index] = rule with { Severity = change.Severity ?? rule.Severity, Thresholds = thresholds, ThresholdText = texts };
        }

        return problems.Count > 0
            ? throw new AdvisorException(FailureKind.Usage, string.Join(Environment.NewLine, problems))
            : new RuleCatalog(rules);
    }
}
