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
}
