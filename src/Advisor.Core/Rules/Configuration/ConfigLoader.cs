using Advisor.Core.Failures;
using Advisor.Core.Findings;
using Advisor.Core.Rules.Loading;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Advisor.Core.Rules.Configuration;

/// <summary>
/// Reads advisor.yaml. The YAML is walked node by node (not deserialised) so each problem can name its line;
/// every problem found is reported, one line each, as one usage error.
/// </summary>
/// <example>
/// <code>
/// rules:
///   ADV002:
///     severity: error
///     thresholds: { minCalls: 5000 }
///   ADV001: { severity: none }
/// ruleDirectories: [ ./advisor-rules ]
/// </code>
/// </example>
public static class ConfigLoader
{
    public static AdvisorConfig LoadFile(string path)
    {
        string yaml;
        try
        {
            yaml = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new AdvisorException(FailureKind.Usage, $"cannot read configuration {path}: {e.Message}");
        }

        return Load(yaml, path, Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".");
    }

    public static AdvisorConfig Load(string yaml, string source, string baseDirectory)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        var problems = new List<string>();
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException e)
        {
            throw new AdvisorException(FailureKind.Usage, $"{source}:{e.Start.Line}: invalid YAML: {Innermost(e).Message}");
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is YamlScalarNode { Value: null or "" })
        {
            return AdvisorConfig.Empty with { Source = source };
        }

        if (stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            throw new AdvisorException(FailureKind.Usage, $"{source}:1: the configuration must be a mapping with 'rules' and 'ruleDirectories'");
        }

        var overrides = new List<RuleOverride>();
        var directories = new List<string>();
        foreach (var (key, value) in root.Children)
        {
            switch (Scalar(key))
            {
                case "rules":
                    overrides.AddRange(Rules(value, source, problems));
                    break;
                case "ruleDirectories":
                    directories.AddRange(Directories(value, source, baseDirectory, problems));
                    break;
                default:
                    problems.Add($"{source}:{Line(key)}: unknown setting '{Scalar(key)}' (known: rules, ruleDirectories)");
                    break;
            }
        }

        return problems.Count > 0
            ? throw new AdvisorException(FailureKind.Usage, string.Join(Environment.NewLine, problems))
            : new AdvisorConfig(overrides, directories, source);
    }

    private static IEnumerable<RuleOverride> Rules(YamlNode node, string source, List<string> problems)
    {
        if (node is not YamlMappingNode rules)
        {
            problems.Add($"{source}:{Line(node)}: 'rules' must map rule ids to their settings, e.g. ADV002: {{ severity: error }}");
            yield break;
        }

        foreach (var (idNode, settings) in rules.Children)
        {
            var id = Scalar(idNode);
            Severity? severity = null;
            var thresholds = new Dictionary<string, (double, string, int)>(StringComparer.Ordinal);
            if (settings is not YamlMappingNode map)
            {
                problems.Add($"{source}:{Line(settings)}: rule {id}: expected 'severity' and/or 'thresholds'");
                continue;
            }

            foreach (var (settingNode, value) in map.Children)
            {
                switch (Scalar(settingNode))
                {
                    case "severity" when SeverityNames.TryParse(Scalar(value), out var parsed):
                        severity = parsed;
                        break;
                    case "severity":
                        problems.Add($"{source}:{Line(value)}: rule {id}: severity '{Scalar(value)}' must be error, warning, info or none");
                        break;
                    case "thresholds":
                        Thresholds(value, id, source, thresholds, problems);
                        break;
                    default:
                        problems.Add($"{source}:{Line(settingNode)}: rule {id}: unknown setting '{Scalar(settingNode)}' (known: severity, thresholds)");
                        break;
                }
            }

            yield return new RuleOverride(id, severity, thresholds, Line(idNode));
        }
    }

    private static void Thresholds(
        YamlNode node, string id, string source, Dictionary<string, (double, string, int)> thresholds, List<string> problems)
    {
        if (node is not YamlMappingNode map)
        {
            problems.Add($"{source}:{Line(node)}: rule {id}: 'thresholds' must map names to values, e.g. {{ minCalls: 5000 }}");
            return;
        }

        foreach (var (nameNode, valueNode) in map.Children)
        {
            var text = Scalar(valueNode);
            if (ThresholdValue.TryParse(text, out var value) is { } error)
            {
                problems.Add($"{source}:{Line(valueNode)}: rule {id}: threshold '{Scalar(nameNode)}': {error}");
                continue;
            }

            thresholds[Scalar(nameNode)] = (value, text.Trim(), Line(nameNode));
        }
    }

    private static IEnumerable<string> Directories(YamlNode node, string source, string baseDirectory, List<string> problems)
    {
        var items = node switch
        {
            YamlSequenceNode sequence => sequence.Children,
            YamlScalarNode scalar => [scalar],
            _ => [],
        };
        foreach (var item in items)
        {
            var directory = Scalar(item);
            if (directory.Length == 0)
            {
                problems.Add($"{source}:{Line(item)}: 'ruleDirectories' holds directory paths");
                continue;
            }

            yield return Path.GetFullPath(directory, baseDirectory);
        }
    }

    private static string Scalar(YamlNode node) => node is YamlScalarNode { Value: { } value } ? value : string.Empty;

    private static int Line(YamlNode node) => (int)node.Start.Line;

    private static Exception Innermost(Exception e) => e.InnerException is null ? e : Innermost(e.InnerException);
}
