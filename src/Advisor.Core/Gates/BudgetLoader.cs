using System.Globalization;
using Advisor.Core.Failures;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Advisor.Core.Gates;

/// <summary>
/// Reads a budget file, node by node so every problem names its line; all problems are reported, one line
/// each, as one usage error (exit 2).
/// </summary>
/// <example>
/// <code>
/// syscalls:
///   pwrite64: 1000
///   fsync: 10
/// rules:
///   ADV002: 0
/// callSites:
///   - site: MyApp.AuditLog.Write
///     syscall: pwrite64
///     max: 100
/// </code>
/// </example>
public static class BudgetLoader
{
    public static Budget LoadFile(string path)
    {
        string yaml;
        try
        {
            yaml = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new AdvisorException(FailureKind.Usage, $"cannot read budget {path}: {e.Message}");
        }

        return Load(yaml, path);
    }

    public static Budget Load(string yaml, string source)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException e)
        {
            throw new AdvisorException(FailureKind.Usage, $"{source}:{e.Start.Line}: invalid YAML: {(e.InnerException ?? e).Message}");
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            throw new AdvisorException(FailureKind.Usage, $"{source}:1: a budget is a mapping with 'syscalls', 'rules' and/or 'callSites'");
        }

        var problems = new List<string>();
        var syscalls = new Dictionary<string, long>(StringComparer.Ordinal);
        var rules = new Dictionary<string, long>(StringComparer.Ordinal);
        var sites = new List<CallSiteBudget>();
        foreach (var (key, value) in root.Children)
        {
            switch (Scalar(key))
            {
                case "syscalls":
                    Limits(value, "syscalls", "a syscall name to a count, e.g. pwrite64: 1000", syscalls, source, problems);
                    break;
                case "rules":
                    Limits(value, "rules", "a rule id to a count of findings, e.g. ADV002: 0", rules, source, problems);
                    break;
                case "callSites":
                    sites.AddRange(CallSites(value, source, problems));
                    break;
                default:
                    problems.Add($"{source}:{Line(key)}: unknown setting '{Scalar(key)}' (known: syscalls, rules, callSites)");
                    break;
            }
        }

        return problems.Count > 0
            ? throw new AdvisorException(FailureKind.Usage, string.Join(Environment.NewLine, problems))
            : new Budget(syscalls, rules, sites, source);
    }

    private static void Limits(YamlNode node, string field, string shape, Dictionary<string, long> limits, string source, List<string> problems)
    {
        if (node is not YamlMappingNode map)
        {
            problems.Add($"{source}:{Line(node)}: '{field}' must map {shape}");
            return;
        }

        foreach (var (name, value) in map.Children)
        {
            if (Count(value) is { } count)
            {
                limits[Scalar(name)] = count;
            }
            else
            {
                problems.Add($"{source}:{Line(value)}: {field}: '{Scalar(name)}' needs a count (a whole number, 0 or more), got '{Scalar(value)}'");
            }
        }
    }

    private static IEnumerable<CallSiteBudget> CallSites(YamlNode node, string source, List<string> problems)
    {
        if (node is not YamlSequenceNode sequence)
        {
            problems.Add($"{source}:{Line(node)}: 'callSites' must be a list of {{ site, syscall, max }}");
            yield break;
        }

        foreach (var item in sequence.Children)
        {
            if (item is not YamlMappingNode map)
            {
                problems.Add($"{source}:{Line(item)}: a call-site budget is {{ site: MyApp.Method, syscall: write, max: 100 }}");
                continue;
            }

            string? site = null, syscall = null;
            long? max = null;
            foreach (var (key, value) in map.Children)
            {
                switch (Scalar(key))
                {
                    case "site": site = Scalar(value); break;
                    case "syscall": syscall = Scalar(value); break;
                    case "max" when Count(value) is { } count: max = count; break;
                    case "max": problems.Add($"{source}:{Line(value)}: callSites: 'max' needs a count, got '{Scalar(value)}'"); break;
                    default: problems.Add($"{source}:{Line(key)}: callSites: unknown setting '{Scalar(key)}' (known: site, syscall, max)"); break;
                }
            }

            if (string.IsNullOrEmpty(site) || max is null)
            {
                problems.Add($"{source}:{Line(item)}: a call-site budget needs 'site' and 'max'");
                continue;
            }

            yield return new CallSiteBudget(site, string.IsNullOrEmpty(syscall) ? null : syscall, max.Value);
        }
    }

    private static long? Count(YamlNode node) =>
        long.TryParse(Scalar(node).Replace("_", "", StringComparison.Ordinal), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null;

    private static string Scalar(YamlNode node) => node is YamlScalarNode { Value: { } value } ? value : string.Empty;

    private static int Line(YamlNode node) => (int)node.Start.Line;
}
